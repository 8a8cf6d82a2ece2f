package io.rookery.node.info;

/** One INFO section: writes its "field:value" lines. */
@FunctionalInterface
public interface InfoSection {
    void write(InfoWriter out);
}
