package io.healthcarebackend.deploy.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.Yaml;

/** Compose files as JSON trees (YAML merge keys resolved, as Compose does) and their schema check. */
final class ComposeFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The vendored Compose Specification schema (src/test/resources/compose/README.md). */
    private static final JsonSchema SCHEMA = loadSchema();

    private ComposeFiles() {
    }

    static JsonNode read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String yaml) {
        return JSON.valueToTree(new Yaml().load(yaml));
    }

    /** The schema's complaints, one line each; empty when the file is valid. */
    static List<String> schemaErrors(JsonNode compose) {
        return SCHEMA.validate(compose).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = ComposeFiles.class.getResourceAsStream("/compose/compose-spec.json")) {
            if (in == null) {
                throw new IllegalStateException("compose/compose-spec.json is missing from the test resources");
            }
            JsonNode schema = JSON.readTree(in);
            // The schema names its draft as "http://json-schema.org/draft/2019-09/schema#" and still
            // carries draft-04 "id" annotations, which identify nothing in draft 2019-09.
            JsonMetaSchema draft = JsonMetaSchema.builder(schema.path("$schema").asText(), JsonMetaSchema.getV201909())
                    .keyword(new NonValidationKeyword("id")).build();
            JsonSchemaFactory factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909))
                    .metaSchema(draft).build();
            // Formats are annotations in draft 2019-09; Compose's "duration" is Go's (10s), not ISO 8601.
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(false).build();
            return factory.getSchema(schema, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
