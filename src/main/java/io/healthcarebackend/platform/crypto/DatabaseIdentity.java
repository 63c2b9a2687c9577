package io.healthcarebackend.platform.crypto;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Which database this service runs on: the random id of its {@code database_identity} row
 * (migration V19), kept by backups and restores of that database and different for every other
 * one, even two databases of one PostgreSQL cluster or two holding the same demo clinic. Files
 * outside the database are bound to it ({@link DevKeyFile}, the audit checkpoint store). Read
 * once, on first use: a service whose keys all come from the environment never asks.
 */
public final class DatabaseIdentity {

    /** Opens a connection to the service's data database. */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    public record Id(UUID id, String name) {
    }

    private final Connector connector;
    private volatile Id id;

    public DatabaseIdentity(Connector connector) {
        this.connector = connector;
    }

    /** A fixed identity, for tests of the binding itself. */
    public static DatabaseIdentity of(UUID id, String name) {
        DatabaseIdentity identity = new DatabaseIdentity(() -> {
            throw new SQLException("fixed identity");
        });
        identity.id = new Id(id, name);
        return identity;
    }

    public UUID id() {
        return load().id();
    }

    /** The database's name and id, for messages. */
    public String describe() {
        Id loaded = load();
        return "'" + loaded.name() + "' (database id " + loaded.id() + ")";
    }

    private Id load() {
        Id loaded = id;
        if (loaded == null) {
            synchronized (this) {
                if (id == null) {
                    id = query();
                }
                loaded = id;
            }
        }
        return loaded;
    }

    private Id query() {
        try (Connection c = connector.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id, current_database() from database_identity")) {
            if (!rs.next()) {
                throw new IllegalStateException("the table database_identity is empty: restore its row from a backup "
                        + "of this database (its id binds the audit checkpoints and development keys to it)");
            }
            return new Id(rs.getObject(1, UUID.class), rs.getString(2));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's identity (table database_identity, created by "
                    + "migration V19): start the service once so it migrates the database, or run its migrations; "
                    + "the database said: " + e.getMessage());
        }
    }
}
