/**
 * Patient records: all PHI. Every PHI column is read and written only by this module's
 * repository; search goes through keyed blind indexes so it survives field-level encryption.
 */
package io.healthcarebackend.patient;
