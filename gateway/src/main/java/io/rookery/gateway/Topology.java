package io.rookery.gateway;

/**
 * Where the slots live, kept current by its own component with explicit triggers: a period, a MOVED
 * reply, a lost backend connection, an operator's refresh. Routing reads {@link #current()} (a volatile
 * snapshot) on every command; triggers only ask for a refresh, which runs off the I/O threads.
 */
public interface Topology extends AutoCloseable {

    /** "cluster" or "sentinel". */
    String kind();

    SlotMap current();

    /** Asks for a refresh now (coalesced with one already running). */
    void refresh(String reason);

    /** A backend answered MOVED: the map is stale. */
    void moved();

    /** A connection to {@code address} was lost or could not be made. */
    void backendLost(String address);

    /** Refreshes that ran (successful or not). */
    long refreshes();

    /** Starts watching; waits up to {@code waitMillis} for a first map. */
    void start(long waitMillis) throws InterruptedException;

    @Override
    void close();
}
