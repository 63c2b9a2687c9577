package io.healthcarebackend.practitioner.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Ids;
import io.healthcarebackend.platform.db.PgErrors;
import io.healthcarebackend.platform.db.TenantTx;
import io.healthcarebackend.practitioner.PractitionerSchedules;
import io.healthcarebackend.practitioner.WeeklySchedule;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * Practitioners and their schedules. Schedules are read on every availability query and booking,
 * so they are cached per (clinic, practitioner) for a few seconds; a change made on this instance
 * is visible at once, one made on another instance within the cache's lifetime.
 */
@Service
class PractitionerService implements PractitionerSchedules {

    static final Duration SCHEDULE_CACHE_TTL = Duration.ofSeconds(5);

    private record Key(ClinicId clinic, UUID practitioner) {
    }

    private final PractitionerRepository repository;
    private final TenantTx tx;
    private final Clock clock;
    private final Cache<Key, WeeklySchedule> schedules = Caffeine.newBuilder().maximumSize(50_000)
            .expireAfterWrite(SCHEDULE_CACHE_TTL).build();

    PractitionerService(PractitionerRepository repository, TenantTx tx, Clock clock) {
        this.repository = repository;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public UUID create(ClinicId clinic, String givenName, String familyName, String specialty, UUID userId) {
        UUID id = Ids.newId();
        try {
            tx.inClinic(clinic, () -> {
                repository.insert(clinic, new PractitionerRepository.Row(id, givenName.strip(), familyName.strip(),
                        specialty == null || specialty.isBlank() ? null : specialty.strip(), userId, 30,
                        clock.instant()));
                return null;
            });
        } catch (DataIntegrityViolationException e) {
            if (PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION)) {
                throw new ApiException.Unprocessable("UNKNOWN_USER", "userId is not a user of this clinic");
            }
            if (PgErrors.is(e, PgErrors.UNIQUE_VIOLATION)) {
                throw new ApiException.Conflict("USER_ALREADY_LINKED", "userId is already linked to a practitioner");
            }
            throw e;
        }
        return id;
    }

    PractitionerRepository.Row get(ClinicId clinic, UUID id) {
        return tx.readInClinic(clinic, () -> repository.find(clinic, id))
                .orElseThrow(() -> new ApiException.NotFound("Practitioner"));
    }

    List<PractitionerRepository.Row> page(ClinicId clinic, UUID after, int limit) {
        return tx.readInClinic(clinic, () -> repository.page(clinic, after, limit));
    }

    @Override
    public Optional<WeeklySchedule> schedule(ClinicId clinic, UUID practitionerId) {
        Key key = new Key(clinic, practitionerId);
        WeeklySchedule cached = schedules.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<WeeklySchedule> loaded = tx.readInClinic(clinic, () -> repository.schedule(clinic, practitionerId));
        loaded.ifPresent(s -> schedules.put(key, s));
        return loaded;
    }

    @Override
    public void replaceSchedule(ClinicId clinic, UUID practitionerId, WeeklySchedule schedule) {
        boolean found = tx.inClinic(clinic, () -> repository.replaceSchedule(clinic, practitionerId, schedule));
        schedules.invalidate(new Key(clinic, practitionerId));
        if (!found) {
            throw new ApiException.NotFound("Practitioner");
        }
    }
}
