# syntax=docker/dockerfile:1.7
# Healthcare Backend container image (docs/containers.md explains every choice).
#   docker build -t healthcare-backend:local .      (or: make image)
# Two stages: the build runs the Maven Wrapper on a JDK and splits the jar into its layers; the
# runtime is a JRE with those layers copied one by one, so a code change ships only the small
# application layer. Base images are pinned to an exact Temurin release (same build as the JDK
# the tests run on); bump both tags together.

FROM eclipse-temurin:25.0.3_9-jdk-noble AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
COPY deploy/container deploy/container
# The ~/.m2 cache mount keeps downloaded dependencies between builds (BuildKit).
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -DskipTests package \
 && deploy/container/extract-layers.sh target/healthcare-backend.jar /layers

FROM eclipse-temurin:25.0.3_9-jre-noble
LABEL org.opencontainers.image.title="healthcare-backend" \
      org.opencontainers.image.description="Multi-tenant backend for clinics: patients, practitioners, schedules and conflict-free booking." \
      org.opencontainers.image.vendor="Healthcare Backend" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:25.0.3_9-jre-noble" \
      org.opencontainers.image.documentation="docs/containers.md"

# The service runs as 10001:10001 (the Kubernetes manifests' runAsUser/runAsGroup too). It owns
# nothing but its data volume: the application files below stay root's and read-only to it.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin app \
 && mkdir -p /var/lib/healthcare-backend \
 && chown 10001:10001 /var/lib/healthcare-backend \
 && chmod 0750 /var/lib/healthcare-backend

WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY --chmod=0555 deploy/container/healthcheck.sh /usr/local/bin/healthcheck

# Production unless told otherwise: without its secrets the service refuses to start and lists
# them (ProductionSafetyCheck), rather than running with demo users and development keys.
# The root filesystem may be read-only: the service writes only to /tmp (java.io.tmpdir, Tomcat's
# work directory) and to the data volume below (audit checkpoints and exports, which must outlive
# the container and be shared by every instance; the development profile's generated keys).
# JDK_JAVA_OPTIONS sizes the heap from the container's memory limit; override it as a whole.
# SerialGC as in the Makefile's JAVA_OPTS: the measured choice for 1-2 CPU instances
# (docs/benchmarks.md); set -XX:+UseG1GC here for instances with several CPUs and large heaps.
ENV APP_PROFILE=production \
    PORT=8088 \
    AUDIT_CHECKPOINT_DIR=/var/lib/healthcare-backend/audit-checkpoints \
    AUDIT_EXPORT_DIR=/var/lib/healthcare-backend/audit-exports \
    JWT_DEV_KEY_FILE=/var/lib/healthcare-backend/dev/jwt-signing-key.json \
    AUDIT_DEV_KEY_FILE=/var/lib/healthcare-backend/dev/audit-signing-key \
    PHI_DEV_MASTER_KEYSET_FILE=/var/lib/healthcare-backend/dev/phi-master-keyset.json \
    MFA_DEV_SECRET_KEYSET_FILE=/var/lib/healthcare-backend/dev/mfa-secret-keyset.json \
    JDK_JAVA_OPTIONS="-XX:+UseSerialGC -XX:InitialRAMPercentage=25 -XX:MaxRAMPercentage=70"
VOLUME ["/var/lib/healthcare-backend"]

USER 10001:10001
EXPOSE 8088
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 CMD ["healthcheck", "/health/readiness"]
STOPSIGNAL SIGTERM
# Exec form: java is PID 1 and receives SIGTERM itself (graceful shutdown: readiness turns 503,
# in-flight requests finish within SHUTDOWN_TIMEOUT). These flags always apply, whatever
# JDK_JAVA_OPTIONS says: the launcher reads that variable before the command line.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "org.springframework.boot.loader.launch.JarLauncher"]
