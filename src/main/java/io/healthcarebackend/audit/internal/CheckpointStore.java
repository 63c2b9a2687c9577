package io.healthcarebackend.audit.internal;

import java.util.List;
import java.util.UUID;

/**
 * Where checkpoints live: somewhere the database's users cannot rewrite. The file implementation
 * appends to a local file; an object store with a write-once retention lock (S3 Object Lock,
 * GCS bucket lock) is the production-grade equivalent and implements this same interface.
 */
interface CheckpointStore {

    void append(List<Checkpoint> checkpoints);

    /** Every checkpoint of the chain, oldest first. */
    List<Checkpoint> of(UUID chainId);
}
