package io.postfleet.proofs.sector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postfleet.proofs.merkle.Node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code manifest.json} of a directory of test sectors written by {@code post-tool pledge}: the miner, the sector size
 * and, per sector, its id, comm_c, comm_r_last, comm_r (64 hex digits, little-endian) and its paths relative to the
 * directory. {@code dir} is where the manifest lies; relative paths resolve against it.
 *
 * <pre>
 * {"miner_id":1000,"sector_size":"2KiB","sectors":[{"id":0,"sector_size":"2KiB","comm_c":"..","comm_r_last":"..",
 *   "comm_r":"..","updated":false,"sealed":"sealed/s-t01000-0","cache_dir":"cache/s-t01000-0"}]}
 * </pre>
 */
public record Manifest(Path dir, long minerId, SectorSize sectorSize, List<Entry> sectors) {

    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Manifest {
        sectors = sectors.stream().sorted(Comparator.comparingLong(Entry::id)).toList();
    }

    /** One sector of the manifest. */
    public record Entry(long id, SectorSize sectorSize, byte[] commC, byte[] commRLast, byte[] commR, boolean updated,
                        String sealed, String cacheDir) {
    }

    /** The files of {@code e}, resolved against the manifest's directory. */
    public SectorFiles files(Entry e) {
        return new SectorFiles(minerId, e.id(), e.updated(), dir.resolve(e.sealed()), dir.resolve(e.cacheDir()));
    }

    /** The storage path the manifest's directory is (sealed/, cache/, update/, update-cache/ under it). */
    public StoragePaths storagePaths() {
        return new StoragePaths(List.of(dir));
    }

    public Entry entry(long sectorId) {
        return sectors.stream().filter(e -> e.id() == sectorId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("sector " + sectorId + " is not in the manifest of " + dir));
    }

    /**
     * Reads a manifest; {@code file} may be the JSON file or the directory holding {@code manifest.json}.
     *
     * @throws IOException naming the file and the field that is missing or malformed, or for a file that is not JSON
     *                     the line, column and what was found there ({@link JsonFile})
     */
    public static Manifest read(Path file) throws IOException {
        Path f = Files.isDirectory(file) ? file.resolve(FILE_NAME) : file;
        JsonNode root = JsonFile.read(f);
        try {
            long miner = field(root, "miner_id").asLong();
            SectorSize size = SectorSize.parse(field(root, "sector_size").asText());
            List<Entry> entries = new ArrayList<>();
            for (JsonNode s : field(root, "sectors")) {
                long id = field(s, "id").asLong();
                entries.add(new Entry(id,
                        s.has("sector_size") ? SectorSize.parse(s.get("sector_size").asText()) : size,
                        Node.parseHex(field(s, "comm_c").asText(), "comm_c of sector " + id),
                        Node.parseHex(field(s, "comm_r_last").asText(), "comm_r_last of sector " + id),
                        Node.parseHex(field(s, "comm_r").asText(), "comm_r of sector " + id),
                        s.path("updated").asBoolean(false),
                        field(s, "sealed").asText(), field(s, "cache_dir").asText()));
            }
            Path dir = f.toAbsolutePath().getParent();
            return new Manifest(dir, miner, size, entries);
        } catch (IllegalArgumentException e) {
            throw new IOException("manifest " + f + ": " + e.getMessage(), e);
        }
    }

    public void write() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("miner_id", minerId);
        root.put("sector_size", sectorSize.label());
        ArrayNode arr = root.putArray("sectors");
        for (Entry e : sectors) {
            ObjectNode s = arr.addObject();
            s.put("id", e.id());
            s.put("sector_size", e.sectorSize().label());
            s.put("comm_c", Node.hex(e.commC()));
            s.put("comm_r_last", Node.hex(e.commRLast()));
            s.put("comm_r", Node.hex(e.commR()));
            s.put("updated", e.updated());
            s.put("sealed", e.sealed());
            s.put("cache_dir", e.cacheDir());
        }
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(FILE_NAME).toFile(), root);
    }

    private static JsonNode field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return v;
    }
}
