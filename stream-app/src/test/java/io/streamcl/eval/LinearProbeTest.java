package io.streamcl.eval;

import static io.streamcl.eval.TestData.axis;
import static io.streamcl.eval.TestData.cluster;
import static io.streamcl.eval.TestData.concat;
import static io.streamcl.eval.TestData.gaussian;
import static io.streamcl.eval.TestData.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

    /** The defaults are sized for tens of thousands of rows; a few thousand need smaller, more steps. */
    private static final LinearProbe SMALL = new LinearProbe(30, 0.01, 1e-4, 32, 7);

    @Test
    void shouldSeparateGaussianBlobsWithArbitraryLabelValues() {
        Random rnd = new Random(1);
        int dim = 16;
        int[] classLabels = {3, 17, 42, 1_000_000};
        float[][] train = new float[0][];
        int[] trainLabels = new int[0];
        float[][] test = new float[0][];
        int[] testLabels = new int[0];
        for (int c = 0; c < classLabels.length; c++) {
            train = concat(train, cluster(rnd, axis(dim, c, 4f), 2500, 1.0));
            trainLabels = concat(trainLabels, repeat(classLabels[c], 2500));
            test = concat(test, cluster(rnd, axis(dim, c, 4f), 100, 1.0));
            testLabels = concat(testLabels, repeat(classLabels[c], 100));
        }

        assertThat(new LinearProbe().accuracy(train, trainLabels, test, testLabels)).isGreaterThan(0.95);
    }

    @Test
    void shouldStayNearChanceOnHeldOutDataWhenLabelsAreRandom() {
        Random rnd = new Random(2);
        float[][] train = gaussian(rnd, 400, 32);
        int[] trainLabels = rnd.ints(400, 0, 4).toArray();
        float[][] test = gaussian(rnd, 1000, 32);
        int[] testLabels = rnd.ints(1000, 0, 4).toArray();

        // 32 dims and 400 rows: enough capacity to fit much of the train noise, none of it carries over
        double accuracy = new LinearProbe(100, 0.01, 0, 32, 1).accuracy(train, trainLabels, test, testLabels);

        assertThat(accuracy).isLessThan(0.5);
    }

    @Test
    void shouldLearnOneInformativeDirectionAmongNoisyOnesThatKnnMisses() {
        Random rnd = new Random(3);
        int dim = 64;
        float[][] train = gaussian(rnd, 2000, dim);
        float[][] test = gaussian(rnd, 1000, dim);
        int[] trainLabels = signOfFirst(train);
        int[] testLabels = signOfFirst(test);

        double probe = SMALL.accuracy(train, trainLabels, test, testLabels);
        double knn = new KnnClassifier(20, 0.07).accuracy(train, trainLabels, test, testLabels);

        assertThat(probe).isGreaterThan(0.9);
        // the direction is 1 of 64: cosine neighbourhoods are mostly noise
        assertThat(probe - knn).isGreaterThan(0.1);
    }

    @Test
    void shouldStandardiseFeaturesOfVeryDifferentScales() {
        Random rnd = new Random(4);
        float[][] train = scaledSignal(rnd, 1000);
        float[][] test = scaledSignal(rnd, 500);

        // the signal varies by 1e-3 around 1000, the noise by 1e3 around 0: raw, Adam's steps of about
        // the learning rate could not bring the bias to -1000 w or make w large enough within the run
        double accuracy = SMALL.accuracy(train, signOfFirst(train, 1000f), test, signOfFirst(test, 1000f));

        assertThat(accuracy).isGreaterThan(0.9);
    }

    @Test
    void shouldIgnoreFeaturesThatAreConstantInTheTrainSet() {
        Random rnd = new Random(5);
        float[][] train = gaussian(rnd, 1000, 8);
        float[][] test = gaussian(rnd, 500, 8);
        int[] trainLabels = signOfFirst(train);
        int[] testLabels = signOfFirst(test);
        for (float[] row : train) {
            row[7] = 0.1f;
        }
        // a train std of 0 must neither give 0 / 0 nor let these far-off test values into the logits
        for (int i = 0; i < test.length; i++) {
            test[i][7] = (i % 2 == 0 ? 1e6f : -1e6f);
        }

        assertThat(SMALL.accuracy(train, trainLabels, test, testLabels)).isGreaterThan(0.9);
    }

    @Test
    void shouldCountTestLabelsUnseenInTrainingAsWrong() {
        float[][] train = {{-1}, {-2}, {1}, {2}};
        int[] trainLabels = {0, 0, 1, 1};
        float[][] test = {{-1.5f}, {1.5f}};

        assertThat(SMALL.accuracy(train, trainLabels, test, new int[] {0, 1})).isEqualTo(1.0);
        assertThat(SMALL.accuracy(train, trainLabels, test, new int[] {0, 7})).isEqualTo(0.5);
    }

    @Test
    void shouldGiveTheSameResultForTheSameSeed() {
        Random rnd = new Random(6);
        float[][] train = gaussian(rnd, 600, 16);
        int[] trainLabels = rnd.ints(600, 0, 3).toArray();
        float[][] test = gaussian(rnd, 300, 16);
        int[] testLabels = rnd.ints(300, 0, 3).toArray();

        LinearProbe probe = new LinearProbe(10, 0.05, 1e-4, 16, 99);
        double first = probe.accuracy(train, trainLabels, test, testLabels);
        double second = new LinearProbe(10, 0.05, 1e-4, 16, 99).accuracy(train, trainLabels, test, testLabels);

        assertThat(second).isEqualTo(first);
        assertThat(probe.predict(train, trainLabels, test))
                .containsExactly(probe.predict(train, trainLabels, test));
    }

    @Test
    void shouldRejectBadSettings() {
        assertThatThrownBy(() -> new LinearProbe(0, 1e-3, 0, 32, 1)).hasMessageContaining("epochs");
        assertThatThrownBy(() -> new LinearProbe(5, 0, 0, 32, 1)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new LinearProbe(5, Double.NaN, 0, 32, 1)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new LinearProbe(5, Double.POSITIVE_INFINITY, 0, 32, 1))
                .hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new LinearProbe(5, 1e-3, -1e-4, 32, 1)).hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> new LinearProbe(5, 1e-3, Double.NaN, 32, 1)).hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> new LinearProbe(5, 1e-3, 0, 0, 1)).hasMessageContaining("batchSize");
    }

    @Test
    void shouldRejectBadShapesAndValues() {
        LinearProbe probe = new LinearProbe();
        float[][] x = {{1, 0}, {0, 1}};
        int[] labels = {0, 1};

        assertThatThrownBy(() -> probe.accuracy(x, new int[] {0}, x, labels))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trainLabels has length 1");
        assertThatThrownBy(() -> probe.accuracy(x, labels, x, new int[] {0, 1, 2}))
                .hasMessageContaining("testLabels has length 3");
        assertThatThrownBy(() -> probe.accuracy(new float[0][], new int[0], x, labels))
                .hasMessageContaining("train is empty");
        assertThatThrownBy(() -> probe.accuracy(x, labels, new float[0][], new int[0]))
                .hasMessageContaining("test is empty");
        assertThatThrownBy(() -> probe.accuracy(x, new int[] {0, -1}, x, labels))
                .hasMessageContaining("trainLabels[1] is negative");
        assertThatThrownBy(() -> probe.accuracy(x, labels, x, new int[] {-3, 0}))
                .hasMessageContaining("testLabels[0] is negative");
        assertThatThrownBy(() -> probe.accuracy(new float[][] {{1, 0}, {Float.NaN, 1}}, labels, x, labels))
                .hasMessageContaining("train[1] has a non-finite value");
        assertThatThrownBy(() -> probe.accuracy(x, labels, new float[][] {{1, Float.POSITIVE_INFINITY}}, new int[] {0}))
                .hasMessageContaining("test[0] has a non-finite value");
        assertThatThrownBy(() -> probe.accuracy(new float[][] {{1, 0}, {1}}, labels, x, labels))
                .hasMessageContaining("train[1] has length 1, expected 2");
        assertThatThrownBy(() -> probe.accuracy(x, labels, new float[][] {{1, 0, 0}}, new int[] {0}))
                .hasMessageContaining("test[0] has length 3, expected 2");
    }

    private static int[] signOfFirst(float[][] x) {
        return signOfFirst(x, 0f);
    }

    private static int[] signOfFirst(float[][] x, float threshold) {
        int[] labels = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            labels[i] = x[i][0] > threshold ? 1 : 0;
        }
        return labels;
    }

    /** Column 0: 1000 + 1e-3 z, the signal; columns 1..7: 1000 z, noise. */
    private static float[][] scaledSignal(Random rnd, int n) {
        float[][] x = new float[n][8];
        for (float[] row : x) {
            row[0] = (float) (1000 + 1e-3 * rnd.nextGaussian());
            for (int t = 1; t < 8; t++) {
                row[t] = (float) (1000 * rnd.nextGaussian());
            }
        }
        return x;
    }
}
