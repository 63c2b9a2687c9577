package io.healthcarebackend.platform.web;

import io.healthcarebackend.platform.SupportedRange;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.AnnotationFormatterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.format.Parser;
import org.springframework.format.Printer;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.format.datetime.standard.Jsr310DateTimeFormatAnnotationFormatterFactory;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every date in a query parameter ({@code @DateTimeFormat}) is within {@link SupportedRange}: the
 * standard parser reads it, then the year is checked (400 VALUE_OUT_OF_RANGE outside). Registered
 * after Spring's own factory, so it is the one used.
 */
@Configuration(proxyBeanMethods = false)
class DateRangeFormatters implements WebMvcConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addFormatterForFieldAnnotation(new Bounded());
    }

    private static final class Bounded implements AnnotationFormatterFactory<DateTimeFormat> {
        private final Jsr310DateTimeFormatAnnotationFormatterFactory standard =
                new Jsr310DateTimeFormatAnnotationFormatterFactory();

        @Override
        public Set<Class<?>> getFieldTypes() {
            return standard.getFieldTypes();
        }

        @Override
        public Printer<?> getPrinter(DateTimeFormat annotation, Class<?> fieldType) {
            return standard.getPrinter(annotation, fieldType);
        }

        @Override
        public Parser<?> getParser(DateTimeFormat annotation, Class<?> fieldType) {
            Parser<?> parser = standard.getParser(annotation, fieldType);
            return (text, locale) -> SupportedRange.check(parser.parse(text, locale));
        }
    }
}
