package io.healthcarebackend.platform.web;

import io.healthcarebackend.platform.SupportedRange;
import java.time.temporal.Temporal;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Every date in a JSON body is within {@link SupportedRange}: the standard java.time deserializers
 * parse it, then the year is checked; outside, the body is refused (400 VALUE_OUT_OF_RANGE).
 * Spring Boot registers this module with the application's JSON mapper.
 */
@Component
class DateRangeModule extends SimpleModule {

    DateRangeModule() {
        super("supported-date-range");
        setDeserializerModifier(new ValueDeserializerModifier() {
            @Override
            public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                    BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
                return Temporal.class.isAssignableFrom(description.getBeanClass())
                        ? new Bounded(deserializer) : deserializer;
            }
        });
    }

    /** The refusal as Jackson reports input mismatches (Spring turns it into a 400); no value in it. */
    static final class DateOutOfRange extends MismatchedInputException {
        DateOutOfRange(JsonParser parser, Class<?> type) {
            super(parser, "date outside the years " + SupportedRange.MIN_YEAR + " to " + SupportedRange.MAX_YEAR,
                    type);
        }
    }

    private static final class Bounded extends DelegatingDeserializer {
        Bounded(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new Bounded(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            Object value = super.deserialize(parser, context);
            try {
                return SupportedRange.check(value);
            } catch (SupportedRange.OutOfRange e) {
                throw new DateOutOfRange(parser, value.getClass());
            }
        }
    }
}
