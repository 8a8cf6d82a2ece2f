package io.rookery.node.geo;

import java.util.ArrayList;
import java.util.List;

/**
 * The cells a geo search scans (Redis's geohashCalculateAreasByShapeWGS84): the cell of the centre at
 * a step estimated from the radius, plus its eight neighbours, less the neighbours the bounding box
 * does not reach. Each cell is a score range of the geo set.
 */
public final class GeoSearchArea {
    private static final double MERCATOR_MAX = 20037726.37;

    private GeoSearchArea() {
    }

    /** A half-open score range [min, max) of the geo set: every member whose hash starts with a cell's bits. */
    public record ScoreRange(long min, long max) {
    }

    /**
     * The score ranges to scan, in Redis's order (centre, N, S, E, W, NE, NW, SE, SW), without pruned
     * neighbours and without a cell equal to the one scanned just before it.
     */
    public static List<ScoreRange> ranges(GeoShape shape) {
        List<ScoreRange> out = new ArrayList<>(9);
        GeoHash last = null;
        for (GeoHash cell : cells(shape)) {
            if (cell.isNone()) {
                continue;
            }
            if (last != null && cell.bits() == last.bits() && cell.step() == last.step()) {
                continue;
            }
            GeoHash next = new GeoHash(cell.bits() + 1, cell.step());
            out.add(new ScoreRange(cell.align52(), next.align52()));
            last = cell;
        }
        return out;
    }

    /** The nine cells, {@link GeoHash#NONE} where a neighbour was pruned. */
    static GeoHash[] cells(GeoShape shape) {
        double[] bounds = shape.boundingBox();
        double minLon = bounds[0];
        double minLat = bounds[1];
        double maxLon = bounds[2];
        double maxLat = bounds[3];
        int steps = estimateSteps(shape.coverRadiusMeters(), shape.latitude());
        GeoHash[] n = around(shape, steps);
        boolean decrease = n[1].area().latMax() < maxLat
                || n[2].area().latMin() > minLat
                || n[3].area().longMax() < maxLon
                || n[4].area().longMin() > minLon;
        if (steps > 1 && decrease) {
            steps--;
            n = around(shape, steps);
        }
        if (steps >= 2) {
            GeoHash.Area area = n[0].area();
            if (area.latMin() < minLat) {
                n[2] = n[7] = n[8] = GeoHash.NONE; // south, south-east, south-west
            }
            if (area.latMax() > maxLat) {
                n[1] = n[5] = n[6] = GeoHash.NONE; // north, north-east, north-west
            }
            if (area.longMin() < minLon) {
                n[4] = n[8] = n[6] = GeoHash.NONE; // west, south-west, north-west
            }
            if (area.longMax() > maxLon) {
                n[3] = n[7] = n[5] = GeoHash.NONE; // east, south-east, north-east
            }
        }
        return n;
    }

    /** Centre, north, south, east, west, north-east, north-west, south-east, south-west. */
    private static GeoHash[] around(GeoShape shape, int steps) {
        GeoHash c = GeoHash.encode(shape.longitude(), shape.latitude(), steps);
        if (c == null) {
            c = new GeoHash(0, steps);
        }
        return new GeoHash[] {c, c.moved(0, 1), c.moved(0, -1), c.moved(1, 0), c.moved(-1, 0),
                c.moved(1, 1), c.moved(-1, 1), c.moved(1, -1), c.moved(-1, -1)};
    }

    /** Bits per axis for cells about as large as the radius, fewer near the poles (geohashEstimateStepsByRadius). */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }
}
