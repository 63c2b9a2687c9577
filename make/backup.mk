# Backups, restore and point-in-time recovery (docs/runbooks/backup-and-restore.md).

.PHONY: db-backup
db-backup: ## Encrypted, checksummed pg_dump of the data database and (apart) the key store into BACKUP_DIR (var/backups); needs BACKUP_PASSPHRASE_FILE
	@scripts/db-backup.sh

.PHONY: db-restore
db-restore: ## Restore a backup into a fresh database: BACKUP=<stamp>|latest (or FILE=<.dump.gpg> [KEYS_FILE=…]) TARGET_DB=<name>
	@BACKUP="$(BACKUP)" FILE="$(FILE)" KEYS_FILE="$(KEYS_FILE)" TARGET_DB="$(TARGET_DB)" \
	  RESTORE_OVERWRITE="$(RESTORE_OVERWRITE)" scripts/db-restore.sh

.PHONY: backup-passphrase
backup-passphrase: ## Print a new backup passphrase (48 random bytes, base64) for BACKUP_PASSPHRASE_FILE
	@head -c 48 /dev/urandom | base64 -w 0; echo

.PHONY: pitr-drill
pitr-drill: ## Point-in-time recovery drill on a scratch cluster: WAL archive, base backup, restore to a timestamp; prints RTO/RPO
	@scripts/pitr-drill.sh
