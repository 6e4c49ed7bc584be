// Poll a job's status with setInterval until it is done, then clear the interval.
const jobRes = await fetch('https://jobs.example.com/jobs', {method: 'POST', body: JSON.stringify({task: 'render'}), headers: {'content-type': 'application/json'}});
const {id} = await jobRes.json();
const states = [];
const result = await new Promise((resolve, reject) => {
  const timer = setInterval(async () => {
    try {
      const s = await (await fetch(`https://jobs.example.com/jobs/${id}`)).json();
      states.push(s.state);
      if (s.state === 'done') { clearInterval(timer); resolve(s.output); }
    } catch (e) { clearInterval(timer); reject(e); }
  }, 25);
});
return {states, result};
