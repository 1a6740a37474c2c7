package io.streamcl.kind;

import io.streamcl.ingest.IdxFile;
import io.streamcl.ingest.IdxImages;
import io.streamcl.ingest.ImageDirReader;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.ingest.RawItems;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** The files images are read from. */
final class ImageFormats {
    private ImageFormats() {}

    static List<ItemFormat> all() {
        return List.of(ItemFormat.of("idx", "IDX file, gz or not", (o, onSkip) -> idx(o))
                        .withLabelsFrom("an IDX labels file, one label per image"),
                ItemFormat.of("image-dir", "a folder of PNG/JPEG files", ImageFormats::imageDir));
    }

    private static Stream<RawItem> idx(ItemFormat.Options o) throws IOException {
        IdxImages images = IdxFile.readImages(o.input());
        int[] labels = o.labels() == null ? null : IdxFile.readLabels(Path.of(o.labels()));
        if (labels != null && labels.length != images.count()) {
            throw new IOException(o.input() + " has " + images.count() + " images but --labels " + o.labels() + " has "
                    + labels.length + " labels");
        }
        long now = System.currentTimeMillis();
        return IntStream.range(0, images.count()).mapToObj(i -> {
            var image = RawItems.rawU8(images.cols(), images.rows(), 1, images.image(i));
            return labels == null ? RawItems.image(o.idPrefix() + i, now, image)
                    : RawItems.labelledImage(o.idPrefix() + i, now, image, Integer.toString(labels[i]));
        });
    }

    private static Stream<RawItem> imageDir(ItemFormat.Options o, Consumer<String> onSkip) throws IOException {
        List<ImageDirReader.ImageFile> files = ImageDirReader.list(o.input());
        long now = System.currentTimeMillis();
        return IntStream.range(0, files.size()).mapToObj(i -> {
            try {
                return RawItems.image(o.idPrefix() + i, now, ImageDirReader.read(files.get(i)));
            } catch (InvalidItemException e) {
                onSkip.accept(files.get(i).path() + ": " + e.getMessage());
                return null;
            }
        }).filter(Objects::nonNull);
    }
}
