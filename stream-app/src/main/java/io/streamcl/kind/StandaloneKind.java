package io.streamcl.kind;

import io.streamcl.augment.EncoderInputs;
import io.streamcl.learn.ContrastiveTrainer;
import io.streamcl.learn.ItemLearner;
import io.streamcl.learn.OnlineLearner;
import io.streamcl.learn.ReplayPlan;
import java.util.List;

/**
 * A kind whose every item stands alone (images, sentences): two augmented views of an item are its
 * positive pair, and it is embedded as itself, under its id and the kind's name.
 *
 * @param <I> the decoded item
 */
public interface StandaloneKind<I> extends ItemKind<I>, EncoderInputs<I> {

    @Override
    default ItemLearner<I> learner(ContrastiveTrainer trainer, ReplayPlan plan) {
        return new OnlineLearner<>(trainer, augmenter(), plan);
    }

    @Override
    default List<EmbeddingInput> embeddingInputs(String id, I item) {
        return List.of(new EmbeddingInput(id, name(), embeddingInput(item)));
    }
}
