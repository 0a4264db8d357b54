# Build stage: the Maven wrapper and the sources; tests run in CI, not in the image build.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests

# Run stage: a JRE and the jar, as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /app soukosync
WORKDIR /app
COPY --from=build /src/target/soukosync-*.jar /app/soukosync.jar
USER soukosync
EXPOSE 5000
ENTRYPOINT ["java", "-jar", "/app/soukosync.jar"]
