package io.postfleet.worker.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Shader cores per GPU model, the figure bellperson sizes its GPU work by: a built-in table of known models, and for a
 * model the table does not describe the operator's {@value #VARIABLE} entries (bellperson's variable, {@code
 * MODEL-NAME:CORES}, several separated by commas). Heartbeats carry the figure, -1 when neither knows the device.
 *
 * <p>Names are compared without case, without a leading {@code NVIDIA } (NVML and newer drivers write
 * {@code NVIDIA GeForce RTX 3080}, bellperson's table {@code GeForce RTX 3080}) and with runs of spaces as one. A table
 * model also describes NVIDIA's form variants of it, the model followed by {@code -}: {@code Tesla V100} covers
 * {@code Tesla V100-SXM2-16GB}, never {@code GeForce RTX 3080} the {@code GeForce RTX 3080 Ti}.
 *
 * @param custom the entries of {@value #VARIABLE}, in the order given
 */
public record GpuCores(List<Custom> custom) {

    /** bellperson's variable for the core count of a GPU its table does not know. */
    public static final String VARIABLE = "BELLMAN_CUSTOM_GPU";
    /** The form {@value #VARIABLE} takes, for messages. */
    public static final String FORM = "MODEL-NAME:CORES, e.g. GeForce RTX 3080:8704 (several separated by commas)";

    /**
     * Known models: the cards bellperson's README lists as tested (its "GeForce GTX 2060" is the RTX 2060), the RTX 30
     * models its later table added, and newer NVIDIA data-centre and desktop models, all from NVIDIA's published
     * CUDA core counts.
     */
    private static final Map<String, Integer> KNOWN = Map.ofEntries(
            Map.entry("Quadro RTX 6000", 4608),
            Map.entry("TITAN RTX", 4608),
            Map.entry("Tesla V100", 5120),
            Map.entry("Tesla P100", 3584),
            Map.entry("Tesla T4", 2560),
            Map.entry("Quadro M5000", 2048),
            Map.entry("GeForce RTX 2080 Ti", 4352),
            Map.entry("GeForce RTX 2080 SUPER", 3072),
            Map.entry("GeForce RTX 2080", 2944),
            Map.entry("GeForce RTX 2070 SUPER", 2560),
            Map.entry("GeForce RTX 2060", 1920),
            Map.entry("GeForce GTX 1080 Ti", 3584),
            Map.entry("GeForce GTX 1080", 2560),
            Map.entry("GeForce GTX 1660 Ti", 1536),
            Map.entry("GeForce GTX 1060", 1280),
            Map.entry("GeForce GTX 1650 SUPER", 1280),
            Map.entry("GeForce GTX 1650", 896),
            Map.entry("GeForce RTX 3090", 10496),
            Map.entry("GeForce RTX 3080", 8704),
            Map.entry("GeForce RTX 3070", 5888),
            Map.entry("GeForce RTX 4090", 16384),
            Map.entry("A100", 6912),
            Map.entry("A100 80GB PCIe", 6912),
            Map.entry("H100 80GB HBM3", 16896),
            Map.entry("H100 PCIe", 14592),
            Map.entry("H200", 16896));

    /** One {@value #VARIABLE} entry. */
    public record Custom(String model, int cores) {
        @Override
        public String toString() {
            return model + ":" + cores;
        }
    }

    public GpuCores {
        custom = List.copyOf(custom);
    }

    /** The built-in table alone. */
    public static GpuCores table() {
        return new GpuCores(List.of());
    }

    /**
     * The table and the entries of a {@value #VARIABLE} value; blank: none.
     *
     * @throws IllegalArgumentException naming the entry that is not {@value #FORM}
     */
    public static GpuCores parse(String text) {
        List<Custom> entries = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return table();
        }
        String[] given = text.split(",");
        for (String entry : given) {
            String e = entry.strip();
            int colon = e.lastIndexOf(':');
            String model = colon > 0 ? e.substring(0, colon).strip() : "";
            int cores;
            try {
                cores = colon > 0 ? Integer.parseInt(e.substring(colon + 1).strip()) : 0;
            } catch (NumberFormatException notNumber) {
                cores = 0;
            }
            if (model.isEmpty() || cores <= 0) {
                throw new IllegalArgumentException(given.length == 1 ? "write " + FORM
                        : "the entry '" + e + "' is not " + FORM);
            }
            entries.add(new Custom(model, cores));
        }
        return new GpuCores(entries);
    }

    /** The cores of a device of this name: the table's, else a matching {@value #VARIABLE} entry's; -1 unknown. */
    public int of(String deviceName) {
        return known(deviceName).orElseGet(() -> customFor(deviceName).map(Custom::cores).orElse(-1));
    }

    /** The {@value #VARIABLE} entry a device of this name takes its cores from: none when the table knows it. */
    public Optional<Custom> customFor(String deviceName) {
        if (known(deviceName).isPresent()) {
            return Optional.empty();
        }
        String name = normal(deviceName);
        return custom.stream().filter(c -> normal(c.model()).equals(name)).findFirst();
    }

    private static Optional<Integer> known(String deviceName) {
        String name = normal(deviceName);
        return KNOWN.entrySet().stream()
                .filter(e -> name.equals(normal(e.getKey())) || name.startsWith(normal(e.getKey()) + "-"))
                .map(Map.Entry::getValue).findFirst();
    }

    /** Whether two device or model names name the same model, compared as this class compares them. */
    public static boolean sameModel(String a, String b) {
        return normal(a).equals(normal(b));
    }

    /** Lower case, one space between words, without a leading {@code nvidia }. */
    static String normal(String name) {
        String n = name == null ? "" : name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return n.startsWith("nvidia ") ? n.substring("nvidia ".length()) : n;
    }

    /** The entries as {@value #VARIABLE} writes them; empty when there are none. */
    @Override
    public String toString() {
        return custom.stream().map(Custom::toString).collect(Collectors.joining(","));
    }
}
