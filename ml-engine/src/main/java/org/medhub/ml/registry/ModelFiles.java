package org.medhub.ml.registry;

import com.google.protobuf.InvalidProtocolBufferException;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;

/**
 * The stored form of a Tribuo model: Tribuo's protobuf serialisation (format 1), which carries the
 * model's provenance and, unlike Java serialisation, is meant to be read by later Tribuo releases.
 */
final class ModelFiles {

    static final int FORMAT_TRIBUO_PROTOBUF = 1;

    private ModelFiles() {}

    static byte[] write(Model<Label> model) {
        return model.serialize().toByteArray();
    }

    @SuppressWarnings("unchecked")
    static Model<Label> read(int format, byte[] bytes) {
        if (format != FORMAT_TRIBUO_PROTOBUF) {
            throw new IllegalStateException("unknown model format " + format);
        }
        try {
            Model<?> model = Model.deserialize(ModelProto.parseFrom(bytes));
            if (!model.validate(Label.class)) {
                throw new IllegalStateException("stored model is not a classification model");
            }
            return (Model<Label>) model;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored model cannot be read: " + e.getMessage(), e);
        }
    }
}
