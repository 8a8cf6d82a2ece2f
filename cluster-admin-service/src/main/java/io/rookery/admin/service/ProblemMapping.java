package io.rookery.admin.service;

import io.rookery.admin.cluster.NodeCommandException;
import io.rookery.admin.plan.PlanRejectedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The service's failures as problem+json: an unknown cluster or job 404, a rejected plan or bad
 * request 422/400 with the planner's (redis-cli's) words, a conflicting job 409, a node that can't be
 * reached or refuses 502 naming the node.
 */
@RestControllerAdvice
class ProblemMapping {

    @ExceptionHandler(ClusterHandles.UnknownClusterException.class)
    ResponseEntity<ProblemDetail> unknownCluster(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(NoSuchJobException.class)
    ResponseEntity<ProblemDetail> unknownJob(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(PlanRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RuntimeException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }

    @ExceptionHandler({ClusterOperations.ConflictException.class, IllegalStateException.class})
    ResponseEntity<ProblemDetail> conflict(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badRequest(RuntimeException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(NodeCommandException.class)
    ResponseEntity<ProblemDetail> node(RuntimeException e) {
        return problem(HttpStatus.BAD_GATEWAY, e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    /** A request named a job that does not exist (REST: 404). */
    static final class NoSuchJobException extends RuntimeException {
        NoSuchJobException(long id) {
            super("no job " + id);
        }
    }
}
