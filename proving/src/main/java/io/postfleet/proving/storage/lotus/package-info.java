/**
 * Lotus's encodings, as its storage paths speak them: {@link io.postfleet.proving.storage.lotus.SingleVanillaParams}
 * (the JSON body of {@code POST /remote/vanilla/single}), {@link io.postfleet.proving.storage.lotus.CommCid} (comm_r
 * as a CID), the RegisteredSealProof and RegisteredPoStProof numbers of go-state-types, and
 * {@link io.postfleet.proving.storage.lotus.ApiInfo} ({@code TOKEN:/ip4/HOST/tcp/PORT/http}). Parsing is strict: a
 * value that is not what Lotus would send is refused with the field named.
 */
package io.postfleet.proving.storage.lotus;
