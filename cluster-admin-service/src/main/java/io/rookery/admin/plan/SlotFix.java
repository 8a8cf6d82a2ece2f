package io.rookery.admin.plan;

/**
 * One step of a fix plan: {@code action} on {@code nodeId} for {@code slot}, with {@code peerId} the other node
 * the action names ({@code null} when none), and {@code reason} in words (which redis-cli case it is).
 */
public record SlotFix(int slot, FixAction action, String nodeId, String peerId, String reason) {
}
