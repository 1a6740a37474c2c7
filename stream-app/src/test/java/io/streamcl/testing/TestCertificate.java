package io.streamcl.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1, made by the JDK's own {@code keytool} for one test run: the broker's
 * PKCS12 keystore and a PKCS12 truststore holding only that certificate, for the clients.
 *
 * @param keystore the broker's key and certificate
 * @param truststore what clients trust
 * @param password of both stores and of the key
 */
public record TestCertificate(Path keystore, Path truststore, String password) {

    /** Writes {@code broker.p12} and {@code truststore.p12} into {@code dir}; valid for two days. */
    public static TestCertificate create(Path dir, String password) throws IOException, InterruptedException {
        Path keystore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.pem");
        Path truststore = dir.resolve("truststore.p12");
        // clients check the broker's name (ssl.endpoint.identification.algorithm=https): the address is its SAN
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", password,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype",
                "PKCS12", "-keystore", truststore.toString(), "-storepass", password);
        return new TestCertificate(keystore, truststore, password);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool " + args[0] + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }
}
