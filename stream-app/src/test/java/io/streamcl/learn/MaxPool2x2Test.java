package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.util.Arrays;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MaxPool2x2Test {
    private static final Shape WINDOW = new Shape(2, 2);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        Engine.getInstance().setRandomSeed(7);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static NDArray libtorch(NDArray x) {
        return Pool.maxPool2d(x, WINDOW, WINDOW, new Shape(0, 0), false);
    }

    /** ReLU'd normals rounded to a coarse grid: many exact ties, inside a window and at zero. */
    private NDArray activations(Shape shape) {
        return manager.randomNormal(shape).mul(4).round().div(4).maximum(0f);
    }

    private static NDArray pooled(NDArray x, boolean training) {
        Block pool = new MaxPool2x2();
        return pool.forward(new ParameterStore(x.getManager(), false), new NDList(x), training).singletonOrThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2,3,28,28", "3,5,7,9", "1,1,2,2", "4,2,6,3", "64,16,14,14"})
    void shouldGiveLibtorchsMaxPoolBitForBitInInferenceAndTraining(String dims) {
        Shape shape = new Shape(Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray());
        NDArray x = activations(shape);
        float[] expected = libtorch(x).toFloatArray();

        for (boolean training : new boolean[] {false, true}) {
            NDArray y = pooled(x, training);
            assertThat(y.getShape()).isEqualTo(libtorch(x).getShape());
            assertThat(new MaxPool2x2().getOutputShapes(new Shape[] {shape})[0]).isEqualTo(y.getShape());
            assertThat(y.toFloatArray()).containsExactly(expected);
        }
    }

    @Test
    void shouldBackPropagateLikeLibtorchsMaxPoolWhenAGradientFlows() {
        NDArray x = activations(new Shape(2, 3, 9, 8));
        NDArray upstream = manager.randomNormal(new Shape(2, 3, 4, 4));
        float[][] gradients = new float[2][];
        float[][] outputs = new float[2][];
        for (int k = 0; k < 2; k++) {
            NDArray xi = x.duplicate();
            xi.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = k == 0 ? pooled(xi, true) : libtorch(xi);
                outputs[k] = y.toFloatArray();
                collector.backward(y.mul(upstream).sum());
            }
            gradients[k] = xi.getGradient().toFloatArray();
        }

        assertThat(outputs[0]).containsExactly(outputs[1]);
        assertThat(gradients[0]).containsExactly(gradients[1]);
    }

    @Test
    void shouldSaveExactlyLikeDjlsMaxPoolBlockSoEarlierSnapshotsStillLoad() throws IOException, MalformedModelException {
        byte[] djl = savedNet(Pool.maxPool2dBlock(WINDOW, WINDOW));
        byte[] ours = savedNet(new MaxPool2x2());

        assertThat(ours).isEqualTo(djl);
        Block loaded = net(new MaxPool2x2());
        loaded.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
        loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(djl)));
        assertThat(bytesOf(loaded)).isEqualTo(djl);
    }

    private static Block net(Block pool) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(4).build())
                .add(Activation.reluBlock())
                .add(pool);
    }

    private byte[] savedNet(Block pool) throws IOException {
        Block net = net(pool);
        Engine.getInstance().setRandomSeed(11);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
        return bytesOf(net);
    }

    private static byte[] bytesOf(Block net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            net.saveParameters(out);
        }
        return bytes.toByteArray();
    }
}
