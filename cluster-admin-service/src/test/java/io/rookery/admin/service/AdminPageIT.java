package io.rookery.admin.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rookery.admin.HeadlessChromium;
import io.rookery.admin.TestCluster;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The admin page in a real headless chromium, against the service managing a three-primary cluster
 * of Rookery nodes: the DOM (after the page's scripts ran) shows every node, and the slot strip
 * painted all 16384 slots with, per owner, the count CLUSTER SLOTS gives; a long reshard job shows
 * on the page while it runs, with its progress (slots moved of all). Screenshots are kept under
 * {@code target/admin-page/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rookery.admin.admin-token=let-me-in",
        "rookery.admin.refresh-interval=500ms",
        "spring.datasource.url=jdbc:h2:mem:admin-page-it;DB_CLOSE_DELAY=-1"
})
@AutoConfigureWebTestClient(timeout = "60s")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("browser")
class AdminPageIT {
    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };
    private static final Pattern ELEMENT = Pattern.compile("<(body|section|canvas|li|tr|progress)\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w-]+)=\"([^\"]*)\"");
    private static final int SLOTS_MOVED = 4000;
    private static final Path OUT = Path.of("target", "admin-page");
    private static TestCluster cluster;
    private static HeadlessChromium chromium;

    @LocalServerPort
    int port;
    private WebTestClient web;

    @DynamicPropertySource
    static void nodes(DynamicPropertyRegistry registry) throws Exception {
        cluster = new TestCluster(TestCluster.Kind.ROOKERY);
        for (int i = 0; i < 3; i++) {
            cluster.startNode();
        }
    }

    @BeforeAll
    static void browser() throws Exception {
        chromium = HeadlessChromium.find(OUT);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Autowired
    void client(WebTestClient client) {
        web = client.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
    }

    private WebTestClient.RequestBodySpec post(String path) {
        return web.post().uri(path).header("Authorization", "Bearer let-me-in").contentType(MediaType.APPLICATION_JSON);
    }

    private Map<String, Object> job(Object id) {
        return web.get().uri("/api/v1/jobs/" + id).exchange().expectStatus().isOk().expectBody(MAP).returnResult()
                .getResponseBody();
    }

    private Map<String, Object> awaitFinished(Object id) throws InterruptedException {
        Map<String, Object>[] last = new Map[1];
        TestCluster.await("job " + id + " to finish",
                () -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains((last[0] = job(id)).get("state")),
                () -> String.valueOf(last[0]));
        return last[0];
    }

    private String page() {
        return "http://127.0.0.1:" + port + "/";
    }

    @Test
    @Order(1)
    void thePageShowsTheNodesAndEverySlotByItsOwner() throws Exception {
        List<String> nodes = cluster.ports().stream().map(p -> "127.0.0.1:" + p).toList();
        Map<String, Object> created = post("/api/v1/clusters/create").bodyValue(Map.of("name", "ui", "nodes", nodes,
                "replicas", 0)).exchange().expectStatus().isAccepted().expectBody(MAP).returnResult().getResponseBody();
        assertThat(awaitFinished(created.get("id")).get("state")).isEqualTo("SUCCEEDED");
        TestCluster.awaitClean(cluster.ports().get(0));

        List<Element> dom = elements(chromium.dumpDom(page(), 5_000));
        assertThat(the(dom, "body").get("data-state")).as("the page's state").isEqualTo("ready");
        assertThat(all(dom, "section", "cluster")).extracting(e -> e.get("data-cluster")).containsExactly("ui");
        Map<String, String> strip = the(dom, "canvas");
        assertThat(strip).containsEntry("class", "slot-strip").containsEntry("data-painted", "16384")
                .containsEntry("data-owners", "3").containsEntry("data-open", "0");

        Map<String, Integer> shown = new TreeMap<>();
        all(dom, "li", "owner").forEach(li -> shown.put(li.get("data-node-id"), Integer.parseInt(li.get("data-slots"))));
        assertThat(shown).isEqualTo(slotsByOwner(cluster.ports().get(0)));
        assertThat(shown.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(16384);

        List<Map<String, String>> rows = all(dom, "tr", "node");
        assertThat(rows).extracting(r -> r.get("data-address")).containsExactlyInAnyOrderElementsOf(nodes);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("data-role")).isEqualTo("primary"));
        assertThat(rows).extracting(r -> r.get("data-node-id")).containsExactlyInAnyOrderElementsOf(shown.keySet());

        Path png = OUT.resolve("cluster.png");
        chromium.screenshot(page(), png, 1280, 900, 5_000);
        assertNonTrivialPng(png);
    }

    @Test
    @Order(2)
    void aRunningJobShowsWithItsProgress() throws Exception {
        int seed = cluster.ports().get(0);
        Map<String, Object> topology = web.get().uri("/api/v1/clusters/ui/topology").exchange().expectStatus().isOk()
                .expectBody(MAP).returnResult().getResponseBody();
        List<Map<String, Object>> slotMap = (List<Map<String, Object>>) topology.get("slotMap");
        String target = slotMap.get(slotMap.size() - 1).get("nodeId").toString();

        // thousands of (empty) slots one at a time: long enough to be caught running, cancelled after the page saw it
        Map<String, Object> reshard = Map.of("slots", SLOTS_MOVED, "from", List.of("all"), "to", target,
                "options", Map.of("concurrency", 1));
        Object id = post("/api/v1/clusters/ui/reshard").bodyValue(reshard).exchange().expectStatus().isAccepted()
                .expectBody(MAP).returnResult().getResponseBody().get("id");
        Map<String, Object>[] last = new Map[1];
        TestCluster.await("the reshard to move its first slots", () -> {
            last[0] = job(id);
            Map<String, Object> progress = (Map<String, Object>) last[0].get("progress");
            return !"PENDING".equals(last[0].get("state")) && ((Number) progress.get("slotsMoved")).intValue() > 0;
        }, () -> String.valueOf(last[0]));
        assertThat(last[0].get("state")).as(String.valueOf(last[0])).isEqualTo("RUNNING");

        List<Element> dom = elements(chromium.dumpDom(page(), 3_000));
        Map<String, String> row = all(dom, "tr", "job").stream().filter(r -> r.get("data-job-id").equals(id.toString()))
                .findFirst().orElseThrow(() -> new AssertionError("job " + id + " is not on the page: " + dom));
        assertThat(row).as("the job's row").containsEntry("data-state", "RUNNING")
                .containsEntry("data-of", Integer.toString(SLOTS_MOVED));
        assertThat(Integer.parseInt(row.get("data-done"))).isBetween(1, SLOTS_MOVED - 1);
        assertThat(all(dom, "progress", null)).anySatisfy(p -> assertThat(p)
                .containsEntry("max", Integer.toString(SLOTS_MOVED)).containsEntry("value", row.get("data-done")));
        assertThat(the(dom, "canvas").get("data-painted")).isEqualTo("16384");
        Path png = OUT.resolve("job.png");
        chromium.screenshot(page(), png, 1280, 900, 3_000);
        assertNonTrivialPng(png);

        post("/api/v1/jobs/" + id + "/cancel").exchange().expectStatus().isOk();
        assertThat(awaitFinished(id).get("state")).isIn("CANCELLED", "SUCCEEDED");
        TestCluster.awaitClean(seed);
    }

    /** Slots per primary id, from CLUSTER SLOTS through Lettuce. */
    private static Map<String, Integer> slotsByOwner(int port) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            Map<String, Integer> owners = new TreeMap<>();
            for (Object range : c.sync().clusterSlots()) {
                List<Object> r = (List<Object>) range;
                int slots = (int) (((Number) r.get(1)).longValue() - ((Number) r.get(0)).longValue() + 1);
                owners.merge(((List<Object>) r.get(2)).get(2).toString(), slots, Integer::sum);
            }
            return owners;
        } finally {
            client.shutdown();
        }
    }

    private static void assertNonTrivialPng(Path png) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(900);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours in " + png).isGreaterThan(20);
    }

    private record Element(String tag, Map<String, String> attributes) {
    }

    private static List<Element> elements(String html) {
        List<Element> found = new ArrayList<>();
        Matcher m = ELEMENT.matcher(html);
        while (m.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(2));
            while (a.find()) {
                attributes.put(a.group(1), a.group(2));
            }
            found.add(new Element(m.group(1), attributes));
        }
        return found;
    }

    private static List<Map<String, String>> all(List<Element> dom, String tag, String cssClass) {
        return dom.stream().filter(e -> e.tag().equals(tag))
                .filter(e -> cssClass == null || List.of(e.attributes().getOrDefault("class", "").split(" ")).contains(cssClass))
                .map(Element::attributes).toList();
    }

    private static Map<String, String> the(List<Element> dom, String tag) {
        List<Map<String, String>> found = all(dom, tag, null);
        assertThat(found).as("<" + tag + "> elements in " + dom).hasSize(1);
        return found.get(0);
    }
}
