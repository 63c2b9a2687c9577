/** Development-only demo data, built on the other modules' public APIs. */
package io.healthcarebackend.demo;
