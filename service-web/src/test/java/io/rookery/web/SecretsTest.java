package io.rookery.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void passwordsAuthStringsAndTokensAreSecretsByName() {
        assertThat(Secrets.isSecret("requirepass")).isTrue();
        assertThat(Secrets.isSecret("masterauth")).isTrue();
        assertThat(Secrets.isSecret("tls-key-file-pass")).isTrue();
        assertThat(Secrets.isSecret("sentinel-pass")).isTrue();
        assertThat(Secrets.isSecret("rookery.sentinel.masters[0].auth-pass")).isTrue();
        assertThat(Secrets.isSecret("rookery.node.admin-token")).isTrue();
        assertThat(Secrets.isSecret("MASTERAUTH")).isTrue();
    }

    @Test
    void userNamesAndOtherParametersAreNot() {
        assertThat(Secrets.isSecret("masteruser")).isFalse();
        assertThat(Secrets.isSecret("auth-user")).isFalse();
        assertThat(Secrets.isSecret("port")).isFalse();
        assertThat(Secrets.isSecret("tls-key-file")).isFalse();
    }

    @Test
    void aSetSecretIsMaskedAnUnsetOneStaysEmpty() {
        assertThat(Secrets.shown("masterauth", "hunter2")).isEqualTo(Secrets.MASK);
        assertThat(Secrets.shown("masterauth", "")).isEmpty();
        assertThat(Secrets.shown("hz", "10")).isEqualTo("10");
    }
}
