package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MomentumUpdateTest {

    private static final Shape INPUT = new Shape(1, 5);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** 5 -> 4 -> ReLU -> {@code out}, weights drawn from N(0, sigma²) with the given seed. */
    private Block mlp(int out, long seed, float sigma) {
        Block block = new SequentialBlock()
                .add(Linear.builder().setUnits(4).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(out).build());
        block.setInitializer(new NormalInitializer(sigma), Parameter.Type.WEIGHT);
        Engine.getInstance().setRandomSeed((int) seed);
        block.initialize(manager, DataType.FLOAT32, INPUT);
        return block;
    }

    private static List<float[]> values(Block block) {
        List<float[]> out = new ArrayList<>();
        PairList<String, Parameter> params = block.getParameters();
        for (int i = 0; i < params.size(); i++) {
            out.add(params.valueAt(i).getArray().toFloatArray());
        }
        return out;
    }

    private float[] forward(Block block, NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
    }

    @ParameterizedTest
    @ValueSource(floats = {0.5f, 0.9f, 0.999f})
    void emaShouldBlendKeyAndQueryPerParameter(float m) {
        Block query = mlp(3, 1, 0.5f);
        Block key = mlp(3, 2, 0.1f);
        List<float[]> q = values(query);
        List<float[]> kOld = values(key);
        assertThat(kOld.get(0)).isNotEqualTo(q.get(0));

        MomentumUpdate.ema(query, key, m);

        List<float[]> k = values(key);
        for (int p = 0; p < q.size(); p++) {
            for (int j = 0; j < q.get(p).length; j++) {
                float want = m * kOld.get(p)[j] + (1 - m) * q.get(p)[j];
                assertThat(k.get(p)[j]).as("param %d [%d]", p, j).isCloseTo(want, within(1e-6f));
            }
            assertThat(values(query).get(p)).containsExactly(q.get(p)); // query untouched
        }
    }

    @Test
    void emaWithZeroMomentumShouldCopy() {
        Block query = mlp(3, 1, 0.5f);
        Block key = mlp(3, 2, 0.1f);
        MomentumUpdate.ema(query, key, 0f);
        List<float[]> q = values(query);
        List<float[]> k = values(key);
        for (int p = 0; p < q.size(); p++) {
            assertThat(k.get(p)).containsExactly(q.get(p));
        }
    }

    @Test
    void repeatedEmaShouldConvergeToTheQuery() {
        Block query = mlp(3, 1, 0.5f);
        Block key = mlp(3, 2, 0.1f);
        for (int i = 0; i < 200; i++) {
            MomentumUpdate.ema(query, key, 0.9f); // distance shrinks by 0.9^200 ~ 7e-10
        }
        List<float[]> q = values(query);
        List<float[]> k = values(key);
        for (int p = 0; p < q.size(); p++) {
            for (int j = 0; j < q.get(p).length; j++) {
                assertThat(k.get(p)[j]).isCloseTo(q.get(p)[j], within(1e-6f));
            }
        }
    }

    @Test
    void emaShouldWorkOnAFrozenKeyAndLeaveNoArraysBehind() {
        Block query = mlp(3, 1, 0.5f);
        Block key = mlp(3, 2, 0.1f);
        key.freezeParameters(true);
        int before = manager.getManagedArrays().size();
        for (int i = 0; i < 100; i++) {
            MomentumUpdate.ema(query, key, 0.99f);
        }
        MomentumUpdate.copy(query, key);
        assertThat(manager.getManagedArrays()).hasSize(before);
    }

    @Test
    void copyShouldMakeOutputsIdentical() {
        Block query = mlp(3, 1, 0.5f);
        Block key = mlp(3, 2, 0.1f);
        NDArray x = manager.randomNormal(new Shape(6, 5));
        assertThat(forward(key, x)).isNotEqualTo(forward(query, x));

        MomentumUpdate.copy(query, key);

        assertThat(forward(key, x)).containsExactly(forward(query, x));
    }

    @Test
    void copyAndEmaShouldRejectBlocksWithDifferentShapes() {
        Block a = mlp(3, 1, 0.5f);
        Block b = mlp(2, 1, 0.5f); // same names, last layer narrower
        assertThatThrownBy(() -> MomentumUpdate.copy(a, b))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shape");
        assertThatThrownBy(() -> MomentumUpdate.ema(a, b, 0.9f)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void copyAndEmaShouldRejectBlocksWithDifferentParameters() {
        Block a = mlp(3, 1, 0.5f);
        Block b = new SequentialBlock().add(Linear.builder().setUnits(3).build());
        b.initialize(manager, DataType.FLOAT32, INPUT);
        assertThatThrownBy(() -> MomentumUpdate.copy(a, b)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MomentumUpdate.ema(b, a, 0.5f)).isInstanceOf(IllegalStateException.class);

        Block c = new SequentialBlock()
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(4).build())
                .add(Linear.builder().setUnits(3).build());
        c.initialize(manager, DataType.FLOAT32, INPUT);
        assertThatThrownBy(() -> MomentumUpdate.copy(a, c))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parameter 0");
    }

    @ParameterizedTest
    @ValueSource(floats = {-0.1f, 1f, 1.5f, Float.NaN})
    void emaShouldRejectMomentumOutsideZeroToOne(float m) {
        Block a = mlp(3, 1, 0.5f);
        Block b = mlp(3, 2, 0.5f);
        assertThatThrownBy(() -> MomentumUpdate.ema(a, b, m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("momentum must be in [0, 1)")
                .hasMessageContaining(String.valueOf(m));
    }
}
