# Image of the scheduled backup job (deploy/postgres/kubernetes/backup-cronjob.yaml): the PostgreSQL
# 15 client tools of the server's major version, gpg and the aws CLI, and this repository's backup
# scripts. Build from the repository root:
#   docker build -f deploy/postgres/backup.Dockerfile -t <registry>/healthcare-backend-db-backup:<version> .
FROM postgres:15-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends gnupg awscli ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/db-backup.sh scripts/db-restore.sh scripts/db-init.sh /opt/healthcare-backend/scripts/
COPY scripts/backup/ /opt/healthcare-backend/scripts/backup/
WORKDIR /opt/healthcare-backend
# The image's postgres user (uid 999): never root.
USER 999:999
ENTRYPOINT ["/opt/healthcare-backend/scripts/db-backup.sh"]
