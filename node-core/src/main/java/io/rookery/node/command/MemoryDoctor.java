package io.rookery.node.command;

/**
 * MEMORY DOCTOR's report (Redis's getMemoryDoctorReport), from the node's memory figures: an almost
 * empty node (under 5 MB used) gets Redis's "empty" text; otherwise a past peak above 150% of what
 * is used now and client output buffers above 200 KB per client (10 MB per replica) are reported, or
 * Redis's all-clear. Redis's allocator checks (fragmentation, allocator RSS) have no JVM equivalent
 * worth alarming about: the heap's reserved but unused pages are the garbage collector's, not
 * fragmentation, and are not reported.
 */
final class MemoryDoctor {
    /** The figures the report looks at. */
    record Figures(long used, long peak, long normalClientBuffers, long normalClients, long replicaBuffers,
                   long replicas, long cachedScripts) {
    }

    private MemoryDoctor() {
    }

    static String report(Figures f) {
        if (f.used() < 5L * 1024 * 1024) {
            return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in "
                    + "these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam "
                    + "and I will be back to our programming as soon as I finished rebooting.\n";
        }
        StringBuilder s = new StringBuilder();
        if ((float) f.peak() / f.used() > 1.5) {
            s.append(" * Peak memory: In the past this instance used more than 150% the memory that is currently using. "
                    + "The allocator is normally not able to release memory after a peak, so you can expect to see a big "
                    + "fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if "
                    + "the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be "
                    + "used as soon as you fill the Redis instance with more data. If the memory peak was only occasional "
                    + "and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other "
                    + "option is to shutdown and restart the instance.\n\n");
        }
        if (f.replicas() > 0 && f.replicaBuffers() > 1024L * 1024 * 10) {
            s.append(" * Big replica buffers: The replica output buffers in this instance are greater than 10MB for each "
                    + "replica (on average). This likely means that there is some replica instance that is struggling "
                    + "receiving data, either because it is too slow or because of networking issues. As a result, data "
                    + "piles on the master output buffers. Please try to identify what replica is not receiving data "
                    + "correctly and why. You can use the INFO output in order to check the replicas delays and the CLIENT "
                    + "LIST command to check the output buffers of each replica.\n\n");
        }
        if (f.normalClients() > 0 && f.normalClientBuffers() / f.normalClients() > 1024 * 200) {
            s.append(" * Big client buffers: The clients output buffers in this instance are greater than 200K per client "
                    + "(on average). This may result from different causes, like Pub/Sub clients subscribed to channels "
                    + "bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or "
                    + "clients sending commands with large replies or very large sequences of commands in the same "
                    + "pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes "
                    + "problems in your instance, or to understand better why certain clients are using a big amount of "
                    + "memory.\n\n");
        }
        if (f.cachedScripts() > 1000) {
            s.append(" * Many scripts: There seem to be many cached scripts in this instance (more than 1000). This may be "
                    + "because scripts are generated and `EVAL`ed, instead of being parameterized (with KEYS and ARGV), "
                    + "`SCRIPT LOAD`ed and `EVALSHA`ed. Unless `SCRIPT FLUSH` is called periodically, the scripts' caches "
                    + "may end up consuming most of your memory.\n\n");
        }
        if (s.isEmpty()) {
            return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this "
                    + "base.\n";
        }
        return "Sam, I detected a few issues in this Redis instance memory implants:\n\n" + s
                + "I'm here to keep you safe, Sam. I want to help you.\n";
    }
}
