import java.util.Collection;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.jobmaster.JobResult;

/**
 * Flink's own RestClusterClient against one REST endpoint (a real cluster or the simulator), for
 * test/integration/flink-clients.test.ts. Args: host port runningJobId failedJobId savepointDir.
 * Prints one line per observation; the test compares the lines of both targets.
 */
public final class RestClusterClientCheck {
  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, args[0]);
    conf.set(RestOptions.PORT, Integer.parseInt(args[1]));
    JobID running = JobID.fromHexString(args[2]);
    JobID failed = JobID.fromHexString(args[3]);
    try (RestClusterClient<StandaloneClusterId> client = new RestClusterClient<>(conf, StandaloneClusterId.getInstance())) {
      // In a fixed order: the order of /jobs/overview differs between Flink versions.
      Collection<JobStatusMessage> jobs = client.listJobs().get();
      for (JobID wanted : new JobID[] {running, failed}) {
        for (JobStatusMessage job : jobs) {
          if (job.getJobId().equals(wanted)) System.out.println("list " + (wanted == running ? "running " : "failed ") + job.getJobState() + " " + job.getJobName());
        }
      }
      System.out.println("status " + client.getJobStatus(running).get());
      System.out.println("savepoint " + client.triggerSavepoint(running, args[4], SavepointFormatType.CANONICAL).get());
      JobResult result = client.requestJobResult(failed).get();
      System.out.println("result success=" + result.isSuccess() + " cause=" + result.getSerializedThrowable().map(t -> t.getOriginalErrorClassName()).orElse("none"));
      try {
        result.toJobExecutionResult(RestClusterClientCheck.class.getClassLoader());
        System.out.println("no exception");
      } catch (Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) System.out.println("cause " + t);
      }
    }
    System.exit(0);
  }
}
