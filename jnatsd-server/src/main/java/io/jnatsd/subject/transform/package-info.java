/**
 * Subject transforms and account subject mappings: {@link io.jnatsd.subject.transform.SubjectTransform} compiles a
 * source/destination pair with its mapping functions ({@code $N}, {@code {{wildcard(n)}}}, {@code partition},
 * {@code split*}, {@code slice*}, {@code split}, {@code left}, {@code right}, {@code random}) and applies it;
 * {@link io.jnatsd.subject.transform.SubjectMappings} is an account's set of weighted mappings that picks the
 * destination of a published subject.
 *
 * <p>Behaviour of nats-server {@code server/subject_transform.go}, {@code sublist.go ValidateMapping} and
 * {@code accounts.go AddWeightedMappings / selectMappedSubject}; the design is our own.
 *
 * <p>Threads: everything here is immutable after construction and used concurrently by publisher event loops;
 * a reload builds new instances and swaps them in.
 */
package io.jnatsd.subject.transform;
