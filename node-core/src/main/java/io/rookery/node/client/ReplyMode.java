package io.rookery.node.client;

/**
 * CLIENT REPLY: ON sends replies, OFF drops them, SKIP drops the reply of the next command only. CLIENT
 * REPLY SKIP sets SKIP_NEXT, which becomes SKIP once that command itself is done, as Redis's
 * CLIENT_REPLY_SKIP_NEXT does.
 */
public enum ReplyMode { ON, OFF, SKIP_NEXT, SKIP }
