package io.rookery.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DoubleFormatTest {

    @Test
    void g17PrintsAsCPrintf() {
        assertThat(DoubleFormat.g17(1.1)).isEqualTo("1.1000000000000001");
        assertThat(DoubleFormat.g17(3.0)).isEqualTo("3");
        assertThat(DoubleFormat.g17(-2.5)).isEqualTo("-2.5");
        assertThat(DoubleFormat.g17(1e20)).isEqualTo("1e+20");
        assertThat(DoubleFormat.g17(1.5e-7)).isEqualTo("1.4999999999999999e-07");
        assertThat(DoubleFormat.g17(0.0001)).isEqualTo("0.0001");
        assertThat(DoubleFormat.g17(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(DoubleFormat.g17(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(DoubleFormat.g17(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(DoubleFormat.g17(0.0)).isEqualTo("0");
        assertThat(DoubleFormat.g17(-0.0)).as("Redis prints a negative zero as 0").isEqualTo("0");
    }

    @Test
    void incrByFloatAddsInLongDoubleAsRedis() {
        assertThat(DoubleFormat.addLongDouble(new BigDecimal("10.5"), new BigDecimal("0.1"))).isEqualTo("10.6");
        assertThat(DoubleFormat.addLongDouble(new BigDecimal("5.6"), new BigDecimal("5000"))).isEqualTo("5005.60000000000000009");
        assertThat(DoubleFormat.addLongDouble(new BigDecimal("3"), new BigDecimal("1.5"))).isEqualTo("4.5");
        assertThat(DoubleFormat.addLongDouble(new BigDecimal("1"), new BigDecimal("-1"))).isEqualTo("0");
    }

    @Test
    void floatArgumentsParseAsRedisDoes() {
        assertThat(DoubleFormat.parse("1.5".getBytes())).isEqualTo(1.5);
        assertThat(DoubleFormat.parse("-inf".getBytes())).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(DoubleFormat.parse("+inf".getBytes())).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(DoubleFormat.parse("nan".getBytes())).isNull();
        assertThat(DoubleFormat.parse(" 1".getBytes())).isNull();
        assertThat(DoubleFormat.parse("abc".getBytes())).isNull();
        assertThat(DoubleFormat.parse("1e3".getBytes())).isEqualTo(1000.0);
    }
}
