package io.healthcarebackend.platform.crypto;

import io.healthcarebackend.platform.config.ProductionSafetyCheck;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar healthcare-backend.jar rotate-keys [--batch-size=500]}: starts only the key
 * beans (no web server, no scheduled jobs), rotates or resumes, and exits. Safe to re-run after
 * a crash: it continues the unfinished run.
 */
public final class RotateKeysCommand {

    private RotateKeysCommand() {
    }

    public static int run(String[] args) {
        int batchSize = 500;
        for (String arg : args) {
            if (arg.startsWith("--batch-size=")) {
                batchSize = Integer.parseInt(arg.substring("--batch-size=".length()));
            }
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CryptoConfig.class)
                .web(WebApplicationType.NONE).listeners(new ProductionSafetyCheck()).logStartupInfo(false)
                .run()) {
            KeyRotation.Result result = context.getBean(KeyRotation.class).rotate(batchSize, 0, System.out);
            return result.finished() ? 0 : 1;
        }
    }
}
