package dev.pulse.server.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;

/**
 * The arguments of one series' RPUSH: its key, then one {@code "<epoch_seconds> <value>"} entry per value, formatted
 * by {@link EntryFormat} straight into the connection's output buffer when Lettuce encodes the command. Lettuce's
 * own arguments would hold a byte array and an argument object per value; this holds two arrays per series.
 * Encoded on Lettuce's I/O thread, once; immutable after construction.
 */
final class HistoryPush extends CommandArgs<byte[], byte[]> {
    private final double[] times;
    private final double[] values;

    HistoryPush(byte[] key, double[] times, double[] values) {
        super(ByteArrayCodec.INSTANCE);
        addKey(key);
        this.times = times;
        this.values = values;
    }

    @Override
    public int count() {
        return super.count() + values.length;
    }

    @Override
    public void encode(ByteBuf buf) {
        super.encode(buf);
        EntryFormat format = new EntryFormat();
        for (int i = 0; i < values.length; i++) {
            int end = format.formatBulk(times[i], values[i]);
            buf.writeBytes(format.buffer(), format.bulkStart(), end - format.bulkStart());
        }
    }
}
