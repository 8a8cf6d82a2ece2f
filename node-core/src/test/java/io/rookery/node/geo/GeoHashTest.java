package io.rookery.node.geo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Redis's geohash, distance and number formats, with values real redis-server 7.0.15 prints. */
class GeoHashTest {

    @Test
    void coordinatesEncodeToTheScoreRedisStores() {
        assertThat(GeoHash.score(13.361389, 38.115556)).isEqualTo(3479099956230698L);
        assertThat(GeoHash.score(15.087269, 37.502669)).isEqualTo(3479447370796909L);
    }

    @Test
    void aScoreDecodesToTheCentreOfItsCell() {
        double[] xy = GeoHash.decodeScore(3479099956230698.0);
        assertThat(GeoFormat.coordinate(xy[0])).isEqualTo("13.36138933897018433");
        assertThat(GeoFormat.coordinate(xy[1])).isEqualTo("38.11555639549629859");
    }

    @Test
    void interleavingRoundTrips() {
        long v = GeoHash.interleave(0x3FFFFFFL, 0x1234567L);
        assertThat(GeoHash.deinterleave(v)).isEqualTo(0x3FFFFFFL | (0x1234567L << 32));
    }

    @Test
    void geohashStringsUseTheStandardLatitudeRange() {
        assertThat(GeoHash.standardString(3479099956230698.0)).isEqualTo("sqc8b49rny0");
        assertThat(GeoHash.standardString(3479447370796909.0)).isEqualTo("sqdtr74hyu0");
    }

    @Test
    void distancesHaveFourDecimals() {
        double[] a = GeoHash.decodeScore(3479099956230698.0);
        double[] b = GeoHash.decodeScore(3479447370796909.0);
        assertThat(GeoFormat.distance(Haversine.distance(a[0], a[1], b[0], b[1]))).isEqualTo("166274.1516");
        assertThat(GeoFormat.distance(0)).isEqualTo("0.0000");
        assertThat(GeoFormat.distance(0.00005)).isEqualTo("0.0000");
        assertThat(GeoFormat.distance(0.0001)).isEqualTo("0.0001");
    }

    @Test
    void coordinatesPrintWithoutTrailingZeros() {
        assertThat(GeoFormat.coordinate(13.0)).isEqualTo("13");
        assertThat(GeoFormat.coordinate(-0.0)).isEqualTo("0");
        assertThat(GeoFormat.coordinate(0.5)).isEqualTo("0.5");
    }

    @Test
    void theSearchStepShrinksWithTheRadiusAndNearThePoles() {
        assertThat(GeoSearchArea.estimateSteps(0, 0)).isEqualTo(26);
        assertThat(GeoSearchArea.estimateSteps(1000, 0)).isEqualTo(14);
        assertThat(GeoSearchArea.estimateSteps(1000, 70)).isEqualTo(13);
        assertThat(GeoSearchArea.estimateSteps(1000, 85)).isEqualTo(12);
    }
}
