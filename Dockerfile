# syntax=docker/dockerfile:1
# Build: Maven resolves dependencies in a layer of their own (it changes only when a pom does), then compiles.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml ./
COPY protocol/pom.xml protocol/
COPY server/pom.xml server/
COPY perf/pom.xml perf/
RUN mvn -B -q -pl protocol,server dependency:go-offline -DexcludeReactor=true
COPY protocol/src protocol/src
COPY server/src server/src
RUN mvn -B -q -pl protocol,server package -DskipTests

# Run: a JRE, a non-root user, the one jar.
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 pulse && useradd --system --uid 10001 --gid pulse --home-dir /app --shell /usr/sbin/nologin pulse
WORKDIR /app
COPY --from=build /src/server/target/pulse-server.jar /app/pulse-server.jar
USER pulse
ENV SERVER_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", "/app/pulse-server.jar", "dev.pulse.server.HealthProbe"]
# Exec form: the JVM is PID 1 and receives SIGTERM, so the graceful drain runs in a container too.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC", "-jar", "/app/pulse-server.jar"]
