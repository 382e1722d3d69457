import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;

/**
 * Flink's own Java RestClusterClient as a benchmark worker: reads commands from stdin
 * ("seq N", "conc N", "list N", "quit"), runs them against the stub and prints one line per
 * command: "<microseconds per call or ms per list> <cpu microseconds per call>". Compiled at
 * bench time against the provisioned Flink home's lib/.
 */
public final class FlinkJavaBench {
  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, args[0]);
    conf.set(RestOptions.PORT, Integer.parseInt(args[1]));
    JobID job = JobID.fromHexString(args[2]);
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (RestClusterClient<StandaloneClusterId> client = new RestClusterClient<>(conf, StandaloneClusterId.getInstance())) {
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
      System.out.println("ready");
      String line;
      while ((line = in.readLine()) != null) {
        String[] parts = line.trim().split(" ");
        if (parts[0].equals("quit")) break;
        int n = Integer.parseInt(parts[1]);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        if (parts[0].equals("seq")) {
          for (int i = 0; i < n; i++) client.getJobStatus(job).get();
        } else if (parts[0].equals("conc")) {
          List<CompletableFuture<?>> all = new ArrayList<>(n);
          for (int i = 0; i < n; i++) all.add(client.getJobStatus(job));
          CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get();
        } else if (parts[0].equals("list")) {
          for (int i = 0; i < n; i++) {
            if (client.listJobs().get().isEmpty()) throw new IllegalStateException("no jobs listed");
          }
        }
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        System.out.println((wall / 1000.0 / n) + " " + (cpu / 1000.0 / n));
      }
    }
    System.exit(0);
  }
}
