package io.rookery.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpBindingTest {

    @Test
    void theFirstNonOptionalRespAddressIsTheHttpAddress() {
        assertThat(HttpBinding.httpAddress(List.of("127.0.0.1", "-::1"))).contains("127.0.0.1");
        assertThat(HttpBinding.httpAddress(List.of("-::1", "10.0.0.5"))).contains("10.0.0.5");
    }

    @Test
    void whenEveryAddressIsOptionalTheFirstIsTaken() {
        assertThat(HttpBinding.httpAddress(List.of("-127.0.0.2", "-::1"))).contains("127.0.0.2");
    }

    @Test
    void wildcardsMeanEveryInterface() {
        assertThat(HttpBinding.httpAddress(List.of("*", "-::*"))).isEmpty();
        assertThat(HttpBinding.httpAddress(List.of("0.0.0.0"))).isEmpty();
        assertThat(HttpBinding.httpAddress(List.of("::*"))).contains("::");
    }
}
