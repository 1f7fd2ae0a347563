package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// endpoints are the read endpoints the emulator serves, as http.ServeMux patterns below
// PathPrefix, each answering from the one fleet. An answer gets the request (for its path
// values), its query and its request id, and returns the status and body.
var endpoints = map[string]func(s *Server, r *http.Request, query url.Values, id string) (int, []byte){
	"/v3/tasks":                             (*Server).answerTasks,
	"/v3/tasks/{task_id}":                   (*Server).answerTask,
	"/v3/tasks/{task_id}/{sub}":             (*Server).answerTaskSubResource,
	"/v3/sources":                           (*Server).answerSources,
	"/v3/sources/{source_id}":               (*Server).answerSourceServer,
	"/v3/errors":                            (*Server).answerErrors,
	"/v3/config":                            (*Server).answerAgentConfig,
	"/v3/migprojects":                       (*Server).answerMigProjects,
	"/v3/migprojects/{mig_project_id}":      (*Server).answerMigProject,
	"/v3/vm/templates":                      (*Server).answerTemplates,
	"/v3/vm/templates/{id}":                 (*Server).answerTemplate,
	"/v3/vm/templates/{id}/target-password": (*Server).answerTemplatePassword,
	"/v3/sources/overview": func(s *Server, _ *http.Request, _ url.Values, _ string) (int, []byte) {
		return http.StatusOK, s.overview()
	},
}

// newRoutes is the mux that routes a request to its endpoint below PathPrefix. What any request goes through
// before and after the route (the network, the gateway) is in ServeHTTP; the mux only finds the
// endpoint, so that the answer of an unknown path is the gateway's, not the mux's.
func (s *Server) newRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	for pattern, answer := range endpoints {
		// A pattern is unescaped before it is matched, so the prefix is escaped to match itself.
		mux.Handle((&url.URL{Path: s.prefix}).EscapedPath()+pattern, s.endpoint(answer))
	}
	mux.HandleFunc("/", noRoute)
	return mux
}

// noRoute is the gateway's answer for a path that names no endpoint.
func noRoute(w http.ResponseWriter, _ *http.Request) {
	writeError(w, http.StatusNotFound, "APIG.0101", "The API does not exist or has not been published in the environment",
		w.Header().Get("X-Request-Id"))
}

// ServeHTTP answers GET {PathPrefix} and the endpoints, POST {PathPrefix}/v3/auth/tokens when
// IAMUsers are set, and 404 for anything else. The order of the checks follows the real path of a
// request: the network (Latency), the gateway (route, credentials, then injected faults and
// throttling), and finally the service (parameter validation, the answer).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := s.requestID()
	w.Header().Set("X-Request-Id", id)
	if r.URL.Path == s.tokensPath() {
		s.serveTokens(w, r, id) // IAM is another service: no tasks latency, faults or Stats.
		return
	}
	s.begin(r.URL.Query())
	defer s.end()
	if s.opts.Logf != nil {
		rec := &statusRecorder{ResponseWriter: w}
		w = rec
		// Deferred, so that a request abandoned or aborted on purpose is logged as well.
		defer rec.log(s.opts.Logf, r, id, time.Now())
	}

	if !sleep(r.Context(), s.opts.Latency) {
		return // The client is gone; nobody would read an answer.
	}
	s.routes.ServeHTTP(w, r)
}

// endpoint serves one endpoint after its route: the method, the credentials, injected faults and
// throttling, then the service's answer.
func (s *Server) endpoint(answer func(s *Server, r *http.Request, query url.Values, id string) (int, []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := w.Header().Get("X-Request-Id")
		if r.Method != http.MethodGet {
			writeError(w, http.StatusNotFound, "APIG.0101",
				"The API does not exist or has not been published in the environment", id)
			return
		}
		if !s.authorize(w, r, id) {
			return
		}
		query := r.URL.Query()
		if s.opts.OnRequest != nil {
			s.opts.OnRequest(cloneValues(query))
		}
		s.advance(r.URL.Path, query)
		respond := func() (int, []byte) { return answer(s, r, query, id) }
		if f, ok := s.takeFault(strings.TrimPrefix(r.URL.Path, s.prefix), query); ok {
			if s.serveFault(w, r, f, respond, id) {
				return
			}
		} else if s.randomFailure() {
			s.countFault()
			writeError(w, http.StatusServiceUnavailable, "SMS.9999", "Service temporarily unavailable, please try again later", id)
			return
		}
		status, body := respond()
		writeBody(w, status, body)
	})
}

func (s *Server) answerTasks(_ *http.Request, query url.Values, id string) (int, []byte) {
	q, err := parseQuery(query)
	if err != nil {
		return http.StatusBadRequest, errorBody("SMS.9004", err.Error(), id)
	}
	return http.StatusOK, s.page(q)
}

func (s *Server) answerSources(_ *http.Request, query url.Values, id string) (int, []byte) {
	q, err := parseServerQuery(query)
	if err != nil {
		return http.StatusBadRequest, errorBody("SMS.9004", err.Error(), id)
	}
	return http.StatusOK, s.sourcesPage(q)
}

func (s *Server) answerTask(r *http.Request, _ url.Values, id string) (int, []byte) {
	taskID := r.PathValue("task_id")
	if body, ok := s.taskDetail(taskID); ok {
		return http.StatusOK, body
	}
	return taskNotFound(taskID, id)
}

func (s *Server) answerTaskSubResource(r *http.Request, _ url.Values, id string) (int, []byte) {
	taskID, sub := r.PathValue("task_id"), taskSubResources[r.PathValue("sub")]
	if sub == nil {
		return http.StatusNotFound, errorBody("APIG.0101", "The API does not exist or has not been published in the environment", id)
	}
	if task, ok := s.storedTask(taskID); ok {
		return http.StatusOK, sub(task, taskID)
	}
	return taskNotFound(taskID, id)
}

// taskNotFound is the answer for an unknown task id. The reference does not document it; a 404
// with a service error is what the huaweicloud provider expects of it.
func taskNotFound(taskID, id string) (int, []byte) {
	return http.StatusNotFound, errorBody("SMS.6002", "The migration task "+taskID+" does not exist", id)
}
