package io.rookery.node.support;

import io.rookery.node.RookeryNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One node for every test of a class: {@code @RegisterExtension static final SharedNode node = new
 * SharedNode();} starts it before the first test and stops it after the last.
 */
public final class SharedNode implements BeforeAllCallback, AfterAllCallback {
    private TestNode node;

    @Override
    public void beforeAll(ExtensionContext context) {
        node = TestNode.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        node.close();
    }

    public int port() {
        return node.port();
    }

    public RookeryNode node() {
        return node.node();
    }

    public String uri() {
        return node.uri();
    }
}
