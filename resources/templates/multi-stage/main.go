// A tiny web server. It is built in the first stage of the Dockerfile and runs alone in the second.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		name, _ := os.Hostname()
		fmt.Fprintf(w, "Hello from a tiny image! It holds one program and nothing else. This is container %s.\n", name)
	})
	log.Println("The web server is ready: open http://localhost:8080 in your browser.")
	log.Fatal(http.ListenAndServe(":8080", nil))
}
