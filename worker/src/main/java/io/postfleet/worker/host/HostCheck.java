package io.postfleet.worker.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.cli.ConfigException;
import io.postfleet.schemas.GpuInfo;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.status.GpuCores;
import io.postfleet.worker.status.ResourceProbe;

/**
 * What {@code post-worker run} checks about its host before it joins the group. First the open-file limit: the soft
 * limit is raised to the hard one, and a worker whose limit stays below {@code --min-open-files} refuses to start
 * (it would fail in the middle of a partition, with sectors skipped as unreadable). Then, once its storage and hash
 * backend are known, memory and GPUs against {@link ProvingRequirements} for the sectors in use, the
 * {@value GpuCores#VARIABLE} entries and the proof parameter cache: warnings at most, one line each, since a worker
 * short of memory or without a GPU still proves, more slowly or at risk, and the operator decides.
 *
 * <p><b>Open files at once.</b> A sector's read holds its replica and its tree_r_last files open (p_aux is read and
 * closed before): 1 + 8 files for a 32GiB sector, 1 + 16 for a 64GiB one. A window partition (2349 or 2300 sectors) is
 * read {@code parallelReads} (32) sectors at a time, so at most 32 x 9 = 288 files (32GiB), 32 x 17 = 544 (64GiB);
 * 217 files under the sector folders were the most seen at once while a full 32GiB partition was read. A worker that
 * also serves its storage ({@code --storage-listen}) reads as many again for other nodes' requests
 * ({@code --parallel-reads} 32), and holds their connections; remote reads add {@code --remote-parallel} (32)
 * sockets; the Kafka clients hold a few sockets per broker, and the JVM about 120 descriptors of its own (jars,
 * selectors, pipes; 117 counted in an idle worker). That is about 1,300 at most, and every read stuck in storage past
 * its time-out keeps its 17 files until the kernel answers. {@link #DEFAULT_MIN_OPEN_FILES} is about three times
 * that, and below the common hard limits; Lotus recommends far more ({@link #LOTUS_OPEN_FILES}) for its sealing
 * workers and a node that serves many connections.
 */
public final class HostCheck {

    /** The minimum a worker starts with unless told otherwise: about three times the most it holds (see above). */
    public static final long DEFAULT_MIN_OPEN_FILES = 4096;
    /** What Lotus recommends, {@code ulimit -n 1048576}, and what the refusal tells the operator to set. */
    public static final long LOTUS_OPEN_FILES = 1_048_576;
    /** rust-fil-proofs' default for {@code FIL_PROOFS_PARAMETER_CACHE}. */
    public static final String DEFAULT_PARAMETER_CACHE = "/var/tmp/filecoin-proof-parameters";

    /** One line of the report: printed on stdout, or as {@code warning: ...} on stderr. */
    public record Finding(boolean warning, String text) {

        static Finding info(String text) {
            return new Finding(false, text);
        }

        static Finding warning(String text) {
            return new Finding(true, text);
        }
    }

    private HostCheck() {
    }

    /**
     * Raises this process's soft open-file limit to the hard one and checks it against {@code minimum}'s value.
     *
     * @return the line to print: the limits before and after
     * @throws ConfigException one line: the setting, the limits found, the {@code ulimit} line to run
     */
    public static String openFiles(ConfigDef.Config settings, Key<Long> minimum) {
        OpenFileLimit.Limits before;
        try {
            before = OpenFileLimit.read();
        } catch (IllegalStateException e) {
            return "open files: limit unknown (" + e.getMessage() + "); " + minimum.flag() + " not checked";
        }
        OpenFileLimit.Limits after = before;
        String refused = "";
        try {
            after = OpenFileLimit.raise().after();
        } catch (IllegalStateException e) {
            refused = " (raising it: " + e.getMessage() + ")";
        }
        return openFiles(settings.named(minimum), minimum.flag(), settings.get(minimum),
                new OpenFileLimit.Raised(before, after), refused);
    }

    /** The decision of {@link #openFiles(ConfigDef.Config, Key)} on the limits found. */
    static String openFiles(String named, String flag, long minimum, OpenFileLimit.Raised r, String refused) {
        OpenFileLimit.Limits a = r.after();
        if (a.soft() < minimum) {
            throw new ConfigException(named + " " + minimum + ": this process may open only " + OpenFileLimit.text(
                    a.soft()) + " files (" + a + ", after raising the soft limit to the hard one" + refused
                    + "); run 'ulimit -n " + LOTUS_OPEN_FILES + "' where the worker is started (raising the hard "
                    + "limit needs root: LimitNOFILE=" + LOTUS_OPEN_FILES + " in its systemd unit, or a nofile line "
                    + "in /etc/security/limits.conf), or lower " + flag);
        }
        return "open files: soft limit " + OpenFileLimit.text(r.before().soft()) + " -> " + OpenFileLimit.text(
                a.soft()) + ", hard limit " + OpenFileLimit.text(a.hard()) + refused + "; at least " + minimum
                + " needed (" + flag + ")";
    }

    /**
     * Memory and GPUs against what {@code kind} needs on the largest sectors found.
     *
     * @param storageSetting how the operator gave the storage paths, for the sectors line
     * @param ramBytes       this host's memory
     * @param devices        the devices the heartbeats list
     */
    public static List<Finding> requirements(PostKind kind, String storageSetting, SealedSectors sectors,
                                             long ramBytes, List<ResourceProbe.Device> devices) {
        List<Finding> out = new ArrayList<>();
        ProvingRequirements need = ProvingRequirements.of(kind, sectors.largest().orElse(ProvingRequirements.REFERENCE));
        String odd = sectors.oddLength() == 0 ? "" : "; " + sectors.oddLength() + " of them have no sector size's "
                + "length (the prover skips them)";
        if (sectors.largest().isPresent()) {
            out.add(Finding.info("sectors: " + sectors.replicas() + " under " + storageSetting + ", the largest "
                    + need.size().label() + odd + ": " + need));
        } else {
            out.add(Finding.info("sectors: " + (sectors.replicas() == 0 ? "none" : "no readable size") + " under "
                    + storageSetting + " (read from other nodes?)" + odd + "; assuming " + need.size().label()
                    + " sectors: " + need));
        }
        String ram = "memory: " + ProvingRequirements.bytes(ramBytes) + " of RAM";
        out.add(ramBytes < need.ramBytes()
                ? Finding.warning(ram + ", less than the " + ProvingRequirements.bytes(need.ramBytes()) + " "
                        + need.what() + " needs (Lotus's minimum, scaled to the sector size)")
                : Finding.info(ram));
        if (devices.isEmpty()) {
            out.add(Finding.info("gpu: none found (NVML did not load, and OpenCL lists no device)"));
        }
        for (ResourceProbe.Device d : devices) {
            out.add(Finding.info("gpu: " + line(d)));
        }
        if (need.gpuRecommended()) {
            Optional<ResourceProbe.Device> gpu = devices.stream().filter(ResourceProbe.Device::gpu)
                    .max(Comparator.comparing((ResourceProbe.Device d) -> d.info().getUsed())
                            .thenComparing(d -> d.info().getMemTotalBytes()));
            if (gpu.isEmpty()) {
                out.add(Finding.warning("gpu: no GPU found, and " + need.what() + " needs a GPU with "
                        + ProvingRequirements.bytes(need.vramBytes()) + " (Lotus's minimum); proving runs on the CPU"));
            } else if (gpu.get().info().getMemTotalBytes() < need.vramBytes()) {
                GpuInfo g = gpu.get().info();
                out.add(Finding.warning("gpu: " + g.getName() + " has " + ProvingRequirements.bytes(
                        g.getMemTotalBytes()) + " of memory, less than the " + ProvingRequirements.bytes(
                        need.vramBytes()) + " " + need.what() + " needs (Lotus's minimum, scaled to the sector size)"));
            }
        }
        return out;
    }

    /**
     * What each {@value GpuCores#VARIABLE} entry applies to here: the devices it gives cores to, a device the table
     * knows (the table's figure stays), or none; empty when the variable is not set.
     */
    public static List<Finding> customGpus(GpuCores cores, List<ResourceProbe.Device> devices) {
        List<Finding> out = new ArrayList<>();
        for (GpuCores.Custom c : cores.custom()) {
            List<String> named = devices.stream().map(d -> d.info().getName())
                    .filter(n -> GpuCores.sameModel(n, c.model())).distinct().toList();
            List<String> given = named.stream().filter(n -> cores.customFor(n).filter(c::equals).isPresent())
                    .toList();
            String what;
            if (named.isEmpty()) {
                what = "matches no device here";
            } else if (!given.isEmpty()) {
                what = "gives " + String.join(", ", given) + " " + c.cores() + " cores";
            } else {
                what = named.get(0) + " is a known model: the table's " + cores.of(named.get(0)) + " cores are used";
            }
            out.add(Finding.info(GpuCores.VARIABLE + " " + c + ": " + what));
        }
        return out;
    }

    /** Where the proof parameters would be read from, whether it exists, and that vanilla proving needs none. */
    public static Finding parameterCache(String named, Path dir) {
        String state;
        if (!Files.isDirectory(dir)) {
            state = "does not exist";
        } else {
            int params = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.params")) {
                for (Path ignored : files) {
                    params++;
                }
                state = "exists, " + params + " .params file" + (params == 1 ? "" : "s");
            } catch (IOException e) {
                state = "exists, cannot be read (" + e.getMessage() + ")";
            }
        }
        return Finding.info("proof parameters: " + named + " " + dir + " " + state + "; vanilla proving needs no "
                + "parameters, a SNARK engine will (lotus fetch-params SIZE)");
    }

    private static String line(ResourceProbe.Device d) {
        GpuInfo g = d.info();
        return g.getName() + ", " + ProvingRequirements.bytes(g.getMemTotalBytes()) + ", "
                + (g.getCores() > 0 ? g.getCores() + " cores" : "cores unknown") + ", " + g.getSource()
                + (d.gpu() ? "" : " (not a GPU)") + (g.getUsed() ? ", used by the hash backend" : "");
    }
}
