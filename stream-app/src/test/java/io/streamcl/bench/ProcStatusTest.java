package io.streamcl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void shouldReadTheResidentSetInBytesAndTheThreads() {
        String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmRSS:\t   79672 kB\nRssAnon:\t   60000 kB\nThreads:\t20\n";
        assertThat(ProcStatus.parse(status)).isEqualTo(new ProcStatus(79672L * 1024, 20));
    }

    @Test
    void aMissingFieldShouldReadMinusOne() {
        assertThat(ProcStatus.parse("Name:\tkthreadd\nThreads:\t1\n")).isEqualTo(new ProcStatus(-1, 1));
    }

    @Test
    void shouldReadThisProcess() throws Exception {
        ProcStatus self = ProcStatus.of(ProcessHandle.current().pid());
        assertThat(self.residentBytes()).isPositive();
        assertThat(self.threads()).isGreaterThanOrEqualTo(Thread.activeCount());
    }
}
