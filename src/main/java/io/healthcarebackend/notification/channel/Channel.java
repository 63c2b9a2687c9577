package io.healthcarebackend.notification.channel;

/** The ways a notification reaches a patient. */
public enum Channel {
    EMAIL, SMS, PUSH
}
