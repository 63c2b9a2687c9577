/**
 * Patient records: all PHI. Every PHI column is read and written only by this module's
 * repository, and holds ciphertext under the patient's own data key ({@code platform.crypto});
 * search goes through keyed blind indexes, so it never needs the plaintext. Erasure destroys the
 * patient's key (crypto-shredding).
 */
package io.healthcarebackend.patient;
