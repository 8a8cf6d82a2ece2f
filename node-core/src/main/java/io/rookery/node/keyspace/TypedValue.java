package io.rookery.node.keyspace;

/** A non-string value: knows its type, its current encoding and its approximate memory. */
public interface TypedValue {
    ValueType type();

    /** The encoding OBJECT ENCODING reports ("listpack", "quicklist", "hashtable", ...). */
    String encoding();

    /** Approximate bytes held, kept up to date by the value itself. */
    long memoryUsage();

    /** A deep copy, for COPY; detached. */
    TypedValue copy();

    /** Set when the value enters or leaves the keyspace: only attached values report size changes. */
    void attach(boolean attached);

    /** Number of elements (list items, hash fields, members). */
    long size();
}
