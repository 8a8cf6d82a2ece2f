package io.rookery.service;

/**
 * PUT /api/v1/persistence/policy: any field left null keeps its value.
 *
 * @param save        save rules in Redis's form ("900 1 300 10"; empty string turns snapshots off)
 * @param appendonly  "yes" or "no"
 * @param appendfsync "always", "everysec" or "no"
 */
public record PersistencePolicy(String save, String appendonly, String appendfsync) {
}
