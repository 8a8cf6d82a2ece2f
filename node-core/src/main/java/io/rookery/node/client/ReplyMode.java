package io.rookery.node.client;

/** CLIENT REPLY: ON sends replies, OFF drops them, SKIP drops the reply of the next command only. */
public enum ReplyMode { ON, OFF, SKIP }
