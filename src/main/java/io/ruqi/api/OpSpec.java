package io.ruqi.api;

import java.util.List;

/**
 * What one operation takes and answers, for its readers and for {@code /openapi.json}.
 *
 * @param tag        the group /docs shows it in
 * @param reads      it changes nothing (so it is also described as a GET with query parameters)
 * @param legacyForm the required parameters of RuQi's first shape of the call, where it has one (else empty): a
 *                   call then needs either these or the parameters marked required
 * @param reply      the schema of {@code data} in an OK reply (a name in openapi/schemas.json), or null for none
 * @param outcomes   the errors of this operation besides those every operation can answer
 */
public record OpSpec(String tag, String summary, String description, boolean reads, List<Param> params,
                     List<String> legacyForm, String reply, List<Outcome> outcomes) {

  /** An error an operation answers: its {@code stat}, its REST status, and when. */
  public record Outcome(String stat, int status, String when) {
  }
}
