package org.medhub.dicomweb.deid;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An action code of PS3.15 Table E.1-1: one of D, Z, X, K, C, U, or a combination such as
 * {@code X/Z}, {@code X/D}, {@code X/Z/D}, {@code Z/D} or {@code X/Z/U*} ("the first unless the
 * IOD requires the other"; {@code U*} = keep the sequence, with its UIDs replaced).
 */
public record ActionCode(String code, List<Action> actions) {

    private static final Pattern SYNTAX = Pattern.compile("[DZXKCU]\\*?(/[DZXKCU]\\*?)*");

    /** The single actions (PS3.15 Table E.1-1 legend). */
    public enum Action {
        /** Replace with a non-zero length dummy value consistent with the VR. */
        D,
        /** Replace with a zero length value (or a dummy). */
        Z,
        /** Remove. */
        X,
        /** Keep (sequences are still cleaned item by item). */
        K,
        /** Clean: replace identifying content with values of similar meaning. */
        C,
        /** Replace UIDs with consistent non-identifying ones. */
        U
    }

    public static ActionCode parse(String code) {
        if (code == null || !SYNTAX.matcher(code).matches()) {
            throw new IllegalArgumentException("'" + code + "' is not a PS3.15 action code");
        }
        List<Action> actions = new ArrayList<>();
        for (String part : code.split("/")) {
            actions.add(Action.valueOf(part.substring(0, 1)));
        }
        return new ActionCode(code, List.copyOf(actions));
    }

    /**
     * The single action MedHub applies. Which attributes an object's IOD requires is not known per
     * attribute here, so a combination resolves to what keeps every IOD valid without revealing
     * more: an attribute that may be emptied is emptied ({@code X/Z}, {@code X/Z/D}, {@code Z/D} -> Z,
     * valid for Type 2 and 3 alike); a reference sequence with {@code U*} is kept with its UIDs
     * replaced, so references stay consistent within the de-identified set; {@code X/D} removes
     * (its attributes are Type 3 where they occur).
     */
    public Action resolved() {
        if (actions.size() == 1) {
            return actions.get(0);
        }
        if (actions.contains(Action.U)) {
            return Action.U;
        }
        if (actions.contains(Action.Z)) {
            return Action.Z;
        }
        return actions.get(0);
    }

    @Override
    public String toString() {
        return code;
    }
}
