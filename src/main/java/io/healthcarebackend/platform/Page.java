package io.healthcarebackend.platform;

import java.util.List;
import java.util.function.Function;

/** A page of a keyset-paginated list: {@code next} is the opaque cursor of the following page, or null. */
public record Page<T>(List<T> items, String next) {

    /**
     * Builds a page from rows fetched with {@code limit + 1}: the extra row only tells that a next
     * page exists; the cursor is the sort key of the last item shown.
     */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, T> view, Function<T, String> cursor) {
        List<T> items = rows.stream().limit(limit).map(view).toList();
        return new Page<>(items, rows.size() > limit ? cursor.apply(items.getLast()) : null);
    }
}
