# syntax=docker/dockerfile:1
# Build: Maven resolves dependencies in a layer of their own (it changes only when a pom does), then compiles.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml ./
COPY protocol/pom.xml protocol/
COPY server/pom.xml server/
COPY perf/pom.xml perf/
RUN mvn -B -q -pl protocol,server dependency:go-offline -DexcludeReactor=true
COPY protocol/src protocol/src
COPY server/src server/src
# The jar gets a fixed whole-second time: the AOT cache records it, and the copy into the final stage must match.
RUN mvn -B -q -pl protocol,server package -DskipTests && mkdir /app && cp server/target/pulse-server.jar /app/ \
    && touch -d @315532800 /app/pulse-server.jar

# A Java runtime cut by jlink to the modules the jar uses (jdeps finds them), at the path the final image has; then
# the C libraries it and Netty's epoll library link against, a passwd entry and /tmp, gathered in /rootfs. No CDS
# archive of its own (--generate-cds-archive would add 28 MB): every JVM here starts from the AOT cache below.
RUN set -eu; \
    modules="$(jdeps --ignore-missing-deps --print-module-deps --multi-release 25 /app/pulse-server.jar),jdk.naming.dns"; \
    echo "runtime modules: $modules"; \
    jlink --add-modules "$modules" --strip-java-debug-attributes --no-man-pages --no-header-files --compress=zip-6 \
      --output /opt/pulse; \
    mkdir -p /rootfs/etc /rootfs/tmp /tmp/epoll; chmod 1777 /rootfs/tmp; \
    cd /tmp/epoll && jar xf /app/pulse-server.jar META-INF/native; \
    find /opt/pulse /tmp/epoll -name '*.so' -exec ldd {} + 2>/dev/null \
      | awk '$2 == "=>" && $3 ~ /^\// && $3 !~ /^\/opt\/pulse\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' \
      | sort -u | while read -r lib; do mkdir -p "/rootfs$(dirname "$lib")"; cp -L "$lib" "/rootfs$lib"; done; \
    printf 'root:x:0:0::/root:/sbin/nologin\npulse:x:10001:10001::/app:/sbin/nologin\n' > /rootfs/etc/passwd; \
    printf 'root:x:0:\npulse:x:10001:\n' > /rootfs/etc/group

# The AOT cache (Java 25: classes loaded, linked and profiled ahead of time): a training run of the final
# runtime, jar and flags, so the server starts from it. The flags here and in ENTRYPOINT must stay the same.
COPY docker/train-aot-cache.sh /usr/local/bin/
RUN train-aot-cache.sh /app/pulse.aot /app/pulse-server.jar /opt/pulse/bin/java \
      -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseParallelGC \
      --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow

# Run: nothing but the runtime, its libraries, the jar and the cache; a non-root user.
FROM scratch
COPY --from=build /rootfs/ /
COPY --from=build /opt/pulse /opt/pulse
COPY --from=build /app /app
USER 10001:10001
WORKDIR /app
ENV PATH=/opt/pulse/bin LANG=C.UTF-8 SERVER_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/opt/pulse/bin/java", "-XX:AOTCache=/app/pulse.aot", "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1", "-cp", "/app/pulse-server.jar", "dev.pulse.server.HealthProbe"]
# Exec form: the JVM is PID 1 and receives SIGTERM, so the graceful drain runs in a container too.
ENTRYPOINT ["/opt/pulse/bin/java", "-XX:AOTCache=/app/pulse.aot", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-jar", "/app/pulse-server.jar"]
